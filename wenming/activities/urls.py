from django.urls import path

from wenming.activities import views

app_name = "activities"
urlpatterns = [
    path("titles/", views.title_list, name="title_list"),
    path("titles.xlsx", views.titles_xlsx, name="titles_xlsx"),
    path("titles/new/", views.title_new, name="title_new"),
    path("titles/<int:pk>/", views.title_detail, name="title_detail"),
    path("titles/<int:pk>/do/<str:action>/", views.title_action, name="title_action"),
    path("campaigns/", views.themed_campaign_list, name="themed_campaign_list"),
    path("campaigns/new/", views.themed_campaign_new, name="themed_campaign_new"),
    path("campaigns/<int:pk>/", views.themed_campaign_detail, name="themed_campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.themed_campaign_edit, name="themed_campaign_edit"),
    path("campaigns/<int:pk>/status/<str:status>/", views.themed_campaign_status,
         name="themed_campaign_status"),
    path("campaigns/<int:pk>/report.xlsx", views.themed_campaign_xlsx, name="themed_campaign_xlsx"),
    path("campaigns/<int:pk>/article/", views.themed_campaign_article, name="themed_campaign_article"),
    path("campaigns/<int:pk>/report/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw, name="activity_withdraw"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
]
