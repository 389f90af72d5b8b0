from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "supportal.news"
    label = "news"
    verbose_name = "News, blog and subscriptions"
