from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    accounts,
    authoring,
    cases,
    casefiles,
    exports,
    facilitation,
    health,
    invitations,
    memo_settings,
    memos,
    results,
    scoring,
    weights,
    workshops,
)

urlpatterns = [
    path("", cases.home, name="home"),
    # Authoring (before cases/<slug>/, whose pattern would take "new" and "upload").
    path("cases/new/", authoring.case_create, name="case_create"),
    path("cases/upload/", casefiles.case_upload, name="case_upload"),
    path("cases/<slug:slug>/edit/", authoring.case_edit, name="case_edit"),
    path("cases/<slug:slug>/copy/", cases.case_copy, name="case_copy"),
    path("cases/<slug:slug>/case.json", casefiles.case_download, name="case_download"),
    path("cases/<slug:slug>/people/", authoring.case_people, name="case_people"),
    path("cases/<slug:slug>/criteria/generate/", authoring.criteria_generate,
         name="criteria_generate"),
    path("cases/<slug:slug>/edit/<str:kind>/new/", authoring.part_create, name="part_create"),
    path("cases/<slug:slug>/edit/<str:kind>/<int:pk>/", authoring.part_edit, name="part_edit"),
    path("cases/<slug:slug>/edit/<str:kind>/<int:pk>/row/", authoring.part_row, name="part_row"),
    path("cases/<slug:slug>/edit/<str:kind>/<int:pk>/delete/", authoring.part_delete,
         name="part_delete"),
    path("cases/<slug:slug>/edit/<str:kind>/<int:pk>/move/", authoring.part_move,
         name="part_move"),
    path("workshops/<int:pk>/export.<str:fmt>", exports.workshop_export, name="workshop_export"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("cases/<slug:slug>/workshops/new/", workshops.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/poll/", workshops.workshop_poll, name="workshop_poll"),
    path("workshops/<int:pk>/invite/", workshops.workshop_invite, name="workshop_invite"),
    path("workshops/<int:pk>/invitations/", invitations.workshop_invitations,
         name="workshop_invitations"),
    # The token alphabet of secrets.token_urlsafe: anything else (a NUL byte, say) is a 404
    # before PostgreSQL sees it.
    path("join/<slug:token>/", workshops.workshop_join, name="workshop_join"),
    path(
        "workshops/<int:pk>/cells/<int:option_id>/<int:criterion_id>/",
        scoring.score_cell,
        name="score_cell",
    ),
    path("workshops/<int:pk>/status/", facilitation.workshop_status, name="workshop_status"),
    path("workshops/<int:pk>/reveal/", facilitation.workshop_reveal, name="workshop_reveal"),
    path("workshops/<int:pk>/round/", facilitation.workshop_round, name="workshop_round"),
    path("workshops/<int:pk>/weights/", weights.workshop_weights, name="workshop_weights"),
    path("workshops/<int:pk>/results/", results.workshop_results, name="workshop_results"),
    path("workshops/<int:pk>/memo.pdf", memos.memo_download, name="workshop_memo"),
    path("workshops/<int:pk>/memo/prepare/", memos.memo_prepare, name="workshop_memo_prepare"),
    path("workshops/<int:pk>/memo.docx", memos.memo_docx, name="workshop_memo_docx"),
    path("workshops/<int:pk>/memo/preview/", memos.memo_preview, name="workshop_memo_preview"),
    path("workshops/<int:pk>/memo/settings/", memo_settings.memo_settings,
         name="workshop_memo_settings"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("health/", health.health, name="health"),
    # The admin's log-in is the rate-limited one too (it would otherwise be an unlimited way
    # to guess passwords); it sends the user back to the admin afterwards.
    path("admin/login/", accounts.login_view),
    path("admin/", admin.site.urls),
]
