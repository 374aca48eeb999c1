from django.contrib import admin
from django.urls import path

from .views import cases

urlpatterns = [
    path("", cases.home, name="home"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("admin/", admin.site.urls),
]
