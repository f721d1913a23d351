from django.urls import path

from wenming.surveys import public_views, stats_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_start, name="visit_start"),
    path("visits/new/<int:questionnaire_pk>/<str:letter>/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("issues/<int:pk>/to-ledger/", views.issue_to_ledger, name="issue_to_ledger"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/<str:action>/", views.assignment_action,
         name="assignment_action"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/variants/", views.variant_set, name="variant_set"),
    path("questionnaires/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("questionnaires/<int:pk>/do/<str:action>/", views.questionnaire_transition,
         name="questionnaire_transition"),
    path("variants/<int:pk>/delete/", views.variant_delete, name="variant_delete"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/<str:action>/", views.question_action, name="question_action"),
    path("populations/", views.populations, name="populations"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats.xlsx", stats_views.stats_xlsx, name="stats_xlsx"),
    path("s/<str:token>/", public_views.survey, name="public_survey"),
]
