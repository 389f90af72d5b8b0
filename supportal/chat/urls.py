from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.chat_start, name="start"),
    path("history/", views.chat_history, name="history"),
    path("console/", views.console, name="console"),
    path("console/availability/", views.console_availability, name="availability"),
    path("embed/", views.embed_page, name="embed"),
    path("embed/token/", views.embed_token, name="embed_token"),
    path("embed/start/", views.embed_start, name="embed_start"),
    path("embed/<int:chat_id>/files/", views.embed_upload, name="embed_upload"),
    path("<int:chat_id>/", views.chat_detail, name="detail"),
    path("<int:chat_id>/files/", views.chat_upload, name="upload"),
    path("<int:chat_id>/files/<int:file_id>/", views.chat_file, name="file"),
    path("<int:chat_id>/accept/", views.chat_accept, name="accept"),
    path("<int:chat_id>/transfer/", views.chat_transfer, name="transfer"),
    path("<int:chat_id>/convert/", views.chat_convert, name="convert"),
    path("<int:chat_id>/extend/", views.chat_extend, name="extend"),
    path("<int:chat_id>/end/", views.chat_end, name="end"),
]
