from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.create, name="create"),
    path("<int:idea_id>/", views.detail, name="detail"),
    path("<int:idea_id>/vote/", views.vote, name="vote"),
    path("<int:idea_id>/follow/", views.follow, name="follow"),
    path("<int:idea_id>/comment/", views.comment, name="comment"),
    path("<int:idea_id>/status/", views.set_status, name="status"),
    path("<int:idea_id>/merge/", views.merge, name="merge"),
    path("link-ticket/<int:ticket_id>/", views.link_ticket, name="link_ticket"),
]
