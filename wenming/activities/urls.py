from django.urls import path

from wenming.activities import views

app_name = "activities"
urlpatterns = [
    path("titles/", views.title_list, name="title_list"),
    path("titles.xlsx", views.titles_xlsx, name="titles_xlsx"),
    path("titles/new/", views.title_new, name="title_new"),
    path("titles/<int:pk>/", views.title_detail, name="title_detail"),
    path("titles/<int:pk>/do/<str:action>/", views.title_action, name="title_action"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/status/<str:status>/", views.campaign_status,
         name="campaign_status"),
    path("campaigns/<int:pk>/report.xlsx", views.campaign_xlsx, name="campaign_xlsx"),
    path("campaigns/<int:pk>/article/", views.campaign_article, name="campaign_article"),
    path("campaigns/<int:pk>/report/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw, name="activity_withdraw"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
]
