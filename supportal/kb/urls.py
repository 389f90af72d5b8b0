from django.urls import path

from . import training_views, views

app_name = "kb"

urlpatterns = [
    path("", views.kb_index, name="index"),
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/edit/", views.article_edit, name="article_edit"),
    path("articles/<slug:slug>/vote/", views.article_vote, name="article_vote"),
    path("articles/<slug:slug>/history/", views.article_history, name="article_history"),
    path("articles/<slug:slug>/history/<int:number>/", views.article_diff, name="article_diff"),
    path("docs/", views.doc_index, name="docs"),
    path("docs/<slug:product>/<slug:slug>/", views.doc_detail, name="doc"),
    path("videos/", views.video_list, name="videos"),
    path("videos/<slug:slug>/", views.video_detail, name="video"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggestions/<int:article_id>/open/", views.suggestion_open, name="suggestion_open"),
    path("suggestions/<int:event_id>/solved/", views.suggestion_solved, name="suggestion_solved"),
    path("insights/", views.insights, name="insights"),
    path("training/", training_views.training, name="training"),
    path("training/one-on-one/", training_views.one_on_one, name="one_on_one"),
    path("training/<int:session_id>/register/", training_views.register, name="register"),
    path("training/<int:session_id>/unregister/", training_views.unregister, name="unregister"),
    path("training/<int:session_id>/attendance/", training_views.attendance, name="attendance"),
]
