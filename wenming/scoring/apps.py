from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "wenming.scoring"
    verbose_name = "考核排名"
