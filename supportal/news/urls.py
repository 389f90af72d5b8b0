from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("feed.rss", feeds.rss_feed, name="feed_rss"),
    path("feed.atom", feeds.atom_feed, name="feed_atom"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.post_detail, name="detail"),
]
