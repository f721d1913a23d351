from django.urls import path

from wenming.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.rankings, name="rankings"),
    path("rules/", views.rules, name="rules"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/workflow/<str:action>/", views.bulletin_transition,
         name="bulletin_transition"),
    path("bulletins/<int:pk>/correct/", views.bulletin_correct, name="bulletin_correct"),
    path("bulletins/<int:pk>/approval.pdf", views.bulletin_approval_sheet,
         name="bulletin_approval_sheet"),
    path("bulletins/<int:pk>/file.<str:fmt>", views.bulletin_file, name="bulletin_file"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/photos/<int:pk>.jpg", views.kiosk_photo, name="kiosk_photo"),
    path("kiosk/<str:token>/", views.kiosk_screen, name="kiosk_screen"),
    path("kiosk/<str:token>/photos/<int:pk>.jpg", views.kiosk_screen_photo,
         name="kiosk_screen_photo"),
    path("kiosks/", views.kiosk_list, name="kiosk_list"),
    path("kiosks/<int:pk>/revoke/", views.kiosk_revoke, name="kiosk_revoke"),
]
