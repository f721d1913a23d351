from django.urls import path

from wenming.briefings import urls_import, urls_search, views, views_drafts

app_name = "briefings"
urlpatterns = [
    path("", views.issue_list, name="issue_list"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/columns/", views.column_add, name="column_add"),
    path("columns/<int:pk>/<str:action>/", views.column_action, name="column_action"),
    path("issues/<int:pk>/articles/new/", views.article_add, name="article_add"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/<str:action>/", views.article_action, name="article_action"),
    path("issues/<int:pk>/drafts/", views_drafts.issue_drafts, name="issue_drafts"),
    path("drafts/<str:key>/", views_drafts.place_source, name="place_source"),
    path("issues/<int:pk>/do/<str:action>/", views.issue_transition, name="issue_transition"),
    path("issues/<int:pk>/approval.pdf", views.approval_sheet, name="approval_sheet"),
    path("issues/<int:pk>/render.<str:fmt>", views.issue_render, name="issue_render"),
    path("series/<int:series_pk>/<int:year>/compilation.pdf", views.compilation,
         name="compilation"),
    path("stats/", views.adoption_stats, name="adoption_stats"),
    path("stats.xlsx", views.adoption_stats_xlsx, name="adoption_stats_xlsx"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:series_pk>/", views.archive_series, name="archive_series"),
    path("archive/<int:series_pk>/<int:year>/", views.archive_year, name="archive_year"),
    path("p/<int:pk>/", views.web_edition, name="web_edition"),
    path("p/<int:pk>/issue.<str:fmt>", views.published_file, name="published_file"),
]
urlpatterns += urls_search.urlpatterns + urls_import.urlpatterns
