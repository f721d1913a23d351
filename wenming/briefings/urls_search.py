"""The archive search page; included into briefings/urls.py (namespace
"briefings")."""

from django.urls import path

from wenming.briefings import views_search

urlpatterns = [
    path("search/", views_search.search, name="search"),
]
