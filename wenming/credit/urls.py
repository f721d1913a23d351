from django.urls import path

from wenming.credit import public_views, views

app_name = "credit"
urlpatterns = [
    # Public
    path("", views.public_index, name="public_index"),
    path("lists/<int:pk>/", views.public_list, name="public_list"),
    path("lists/<int:pk>/list.<str:fmt>", views.public_list_file, name="public_list_file"),
    path("lookup/", views.lookup, name="lookup"),
    path("verify/", views.verify, name="verify"),
    path("notice/<int:pk>/", public_views.notice, name="public_notice"),
    path("notice/<int:pk>/objection/", public_views.objection, name="public_objection"),
    path("restoration/", public_views.restoration, name="public_restoration"),
    path("track/", public_views.track, name="track"),
    path("track/<str:code>/", public_views.track_status, name="track_status"),
    # Staff
    path("manage/", views.manage, name="manage"),
    path("manage/lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("manage/lists/<int:pk>/template.xlsx", views.list_template, name="list_template"),
    path("manage/lists/<int:pk>/upload/", views.list_upload, name="list_upload"),
    path("manage/lists/<int:pk>/correct/", views.list_correct, name="list_correct"),
    path("manage/lists/<int:pk>/do/<str:action>/", views.list_transition,
         name="list_transition"),
    path("manage/listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("manage/listings/<int:pk>/attachment/", views.listing_evidence, name="listing_evidence"),
    path("manage/listings/<int:pk>/<str:action>/", views.listing_action, name="listing_action"),
    path("manage/objections/<int:pk>/resolve/", views.objection_resolve,
         name="objection_resolve"),
    path("manage/restorations/", views.restoration_list, name="restoration_list"),
    path("manage/restorations/<int:pk>/decide/", views.restoration_decide,
         name="restoration_decide"),
    path("manage/entities/", views.entity_list, name="entity_list"),
    path("manage/entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("manage/entities/<int:pk>/report/", views.report_issue, name="report_issue"),
    path("manage/reports/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("manage/screen/", views.screen_file, name="screen"),
]
