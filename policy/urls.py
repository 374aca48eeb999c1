from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from .views import (
    accounts,
    authoring,
    cases,
    casefiles,
    exports,
    facilitation,
    health,
    history,
    invitations,
    memo_settings,
    memos,
    presenter,
    results,
    scoring,
    weights,
    workshops,
)



class IdConverter:
    """A database id: digits, at most the largest 64-bit integer. A longer number is a 404
    here, rather than an overflow (a 500) in the database driver."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > 2**63 - 1:
            raise ValueError(value)  # the resolver takes this as no match
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    # The live page's poll and cell save first: nearly every request is one of them, and the
    # resolver tries the patterns in order.
    path("workshops/<id:pk>/poll/", workshops.workshop_poll, name="workshop_poll"),
    path("workshops/<id:pk>/cells/<id:option_id>/<id:criterion_id>/", scoring.score_cell,
         name="score_cell"),
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
    path("cases/<slug:slug>/edit/<str:kind>/<id:pk>/", authoring.part_edit, name="part_edit"),
    path("cases/<slug:slug>/edit/<str:kind>/<id:pk>/row/", authoring.part_row, name="part_row"),
    path("cases/<slug:slug>/edit/<str:kind>/<id:pk>/delete/", authoring.part_delete,
         name="part_delete"),
    path("cases/<slug:slug>/edit/<str:kind>/<id:pk>/move/", authoring.part_move,
         name="part_move"),
    path("workshops/<id:pk>/export.<str:fmt>", exports.workshop_export, name="workshop_export"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("cases/<slug:slug>/workshops/new/", workshops.workshop_create, name="workshop_create"),
    path("workshops/<id:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("workshops/<id:pk>/invite/", workshops.workshop_invite, name="workshop_invite"),
    path("workshops/<id:pk>/invitations/", invitations.workshop_invitations,
         name="workshop_invitations"),
    # The token alphabet of secrets.token_urlsafe: anything else (a NUL byte, say) is a 404
    # before PostgreSQL sees it.
    path("join/", presenter.join_by_code, name="join_by_code"),
    path("workshops/<id:pk>/present/", presenter.workshop_present, name="workshop_present"),
    path("workshops/<id:pk>/present/live/", presenter.workshop_present_live,
         name="workshop_present_live"),
    path("join/<slug:token>/", workshops.workshop_join, name="workshop_join"),
    path("workshops/<id:pk>/status/", facilitation.workshop_status, name="workshop_status"),
    path("workshops/<id:pk>/reveal/", facilitation.workshop_reveal, name="workshop_reveal"),
    path("workshops/<id:pk>/round/", facilitation.workshop_round, name="workshop_round"),
    path("workshops/<id:pk>/paced/", facilitation.workshop_paced, name="workshop_paced"),
    path("workshops/<id:pk>/members/<id:user_id>/role/", facilitation.workshop_member_role,
         name="workshop_member_role"),
    path("workshops/<id:pk>/history/", history.workshop_history, name="workshop_history"),
    path("workshops/<id:pk>/weights/", weights.workshop_weights, name="workshop_weights"),
    path("workshops/<id:pk>/weights/mine/", weights.my_weights, name="workshop_my_weights"),
    path("workshops/<id:pk>/weights/analysts/", weights.workshop_analysts_weigh,
         name="workshop_analysts_weigh"),
    path("workshops/<id:pk>/results/", results.workshop_results, name="workshop_results"),
    path("workshops/<id:pk>/memo.pdf", memos.memo_download, name="workshop_memo"),
    path("workshops/<id:pk>/memo/prepare/", memos.memo_prepare, name="workshop_memo_prepare"),
    path("workshops/<id:pk>/memo.docx", memos.memo_docx, name="workshop_memo_docx"),
    path("workshops/<id:pk>/memo/preview/", memos.memo_preview, name="workshop_memo_preview"),
    path("workshops/<id:pk>/memo/settings/", memo_settings.memo_settings,
         name="workshop_memo_settings"),
    path("workshops/<id:pk>/memo/text/", memo_settings.memo_text, name="workshop_memo_text"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/sessions/end/", accounts.logout_everywhere, name="logout_everywhere"),
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
