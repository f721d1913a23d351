from django.urls import path

from wenming.campaign import open311, views, views_field, views_public, views_setup

app_name = "campaign"
urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/counts/", views.problem_counts, name="problem_counts"),
    path("problems/export.xlsx", views.problem_export, name="problem_export"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/do/<str:action>/", views.problem_action, name="problem_action"),
    path("problems/<int:pk>/photos/<str:stage>/", views.problem_photos, name="problem_photos"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
    path("queue/", views.unit_queue, name="unit_queue"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    path("field/", views_field.field_sites, name="field_sites"),
    path("field/sites/<int:pk>/", views_field.field_form, name="field_form"),
    path("inspections/<int:pk>/", views_field.inspection_detail, name="inspection_detail"),
    path("plans/", views_field.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views_field.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/complete/", views_field.plan_complete, name="plan_complete"),
    path("index/", views_setup.index_list, name="index_list"),
    path("index/<int:pk>/", views_setup.index_detail, name="index_detail"),
    path("index/<int:pk>/export.xlsx", views_setup.index_export, name="index_export"),
    path("sites/", views_setup.site_list, name="site_list"),
    path("sites/new/", views_setup.site_form, name="site_new"),
    path("sites/<int:pk>/edit/", views_setup.site_form, name="site_edit"),
    path("sites/import/", views_setup.site_import, name="site_import"),
    path("sites/template.xlsx", views_setup.site_template, name="site_template"),
    path("settings/", views_setup.campaign_settings, name="campaign_settings"),
    # 随手拍: public pages and the office's triage
    path("report/", views_public.report_form, name="report_form"),
    path("report/track/", views_public.report_track, name="report_track"),
    path("report/<str:code>/", views_public.report_status, name="report_status"),
    path("reports/", views_public.report_list, name="report_list"),
    path("reports/<int:pk>/", views_public.report_detail, name="report_detail"),
    path("reports/<int:pk>/reject/", views_public.report_reject, name="report_reject"),
    path("reports/<int:pk>/photo.jpg", views_public.report_photo, name="report_photo"),
    # Open311 GeoReport v2
    path("open311/v2/services.<str:fmt>", open311.services, name="open311_services"),
    path("open311/v2/services/<str:code>.<str:fmt>", open311.service_definition,
         name="open311_service"),
    path("open311/v2/requests.<str:fmt>", open311.requests, name="open311_requests"),
    path("open311/v2/requests/<str:code>.<str:fmt>", open311.request_one,
         name="open311_request"),
]
