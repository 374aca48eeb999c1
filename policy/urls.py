from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, cases

urlpatterns = [
    path("", cases.home, name="home"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]
