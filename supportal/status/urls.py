from django.urls import path

from . import feeds, views

app_name = "status"

urlpatterns = [
    path("", views.status_page, name="page"),
    path("api/v2/summary.json", views.summary_json, name="summary"),
    path("feed.rss", feeds.rss_feed, name="feed_rss"),
    path("feed.atom", feeds.atom_feed, name="feed_atom"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:incident_id>/update/", views.post_update, name="post_update"),
]
