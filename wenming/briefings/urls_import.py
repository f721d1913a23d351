"""Importing legacy issues; included into briefings/urls.py (namespace
"briefings")."""

from django.urls import path

from wenming.briefings import views_import

urlpatterns = [
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/batches/<int:pk>/", views_import.import_batch, name="import_batch"),
    path("import/batches/<int:pk>/files/<int:position>/", views_import.import_batch_file,
         name="import_batch_file"),
    path("import/batches/<int:pk>/import-clean/", views_import.import_batch_clean,
         name="import_batch_clean"),
]
