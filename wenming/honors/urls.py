from django.urls import path

from wenming.honors import public_views, views

app_name = "honors"
urlpatterns = [
    path("", views.roll_list, name="roll_list"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll_detail"),
    path("rolls/<int:pk>/settings/", views.roll_settings, name="roll_settings"),
    path("rolls/<int:pk>/do/<str:action>/", views.roll_action, name="roll_action"),
    path("rolls/<int:pk>/nominate/", views.nomination_new, name="nomination_new"),
    path("rolls/<int:pk>/preview.pdf", views.roll_preview, name="roll_preview"),
    path("rolls/<int:pk>/nominations.xlsx", views.roll_xlsx, name="roll_xlsx"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/do/<str:action>/", views.nomination_action,
         name="nomination_action"),
    path("objections/<int:pk>/handle/", views.objection_handle, name="objection_handle"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
    path("stats/", views.stats, name="stats"),
    path("stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    # Public pages: no login.
    path("public/", public_views.index, name="public_index"),
    path("public/<int:pk>/", public_views.roll_page, name="public_roll"),
    path("public/<int:pk>/roll.pdf", public_views.roll_pdf, name="public_roll_pdf"),
    path("public/<int:pk>/notice/", public_views.notice, name="public_notice"),
    path("public/<int:pk>/notice/objection/", public_views.objection,
         name="public_objection"),
    path("public/objections/", public_views.objection_track, name="public_objection_track"),
    path("public/objections/<str:code>/", public_views.objection_status,
         name="public_objection_status"),
    path("public/<int:pk>/nominate/", public_views.nominate, name="public_nominate"),
    path("public/photos/<int:pk>.jpg", public_views.photo, name="public_photo"),
]
