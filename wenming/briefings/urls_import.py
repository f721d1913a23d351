"""Importing legacy issues; included into briefings/urls.py (namespace
"briefings")."""

from django.urls import path

from wenming.briefings import views_import

urlpatterns = [
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
]
