"""The project's URLs with the import pages in the briefings namespace, for
tests that run before (or after) briefings/urls.py includes them."""

from django.urls import include, path

from wenming import urls as project
from wenming.briefings import urls as briefings
from wenming.briefings import urls_import

_names = {p.name for p in briefings.urlpatterns}
_briefings = briefings.urlpatterns + [p for p in urls_import.urlpatterns if p.name not in _names]

urlpatterns = [
    path("briefings/", include((_briefings, "briefings"))),
    *[p for p in project.urlpatterns if getattr(p, "namespace", None) != "briefings"],
]
