from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("<int:ticket_id>/", views.ticket_detail, name="detail"),
    path("<int:ticket_id>/status/", views.ticket_status, name="status"),
    path("<int:ticket_id>/assign/", views.ticket_assign, name="assign"),
    path("<int:ticket_id>/credentials/", views.ticket_credentials, name="credentials"),
    path("<int:ticket_id>/downgrade/", views.ticket_downgrade, name="downgrade"),
    path("<int:ticket_id>/urgent/", views.ticket_raise_urgency, name="raise_urgency"),
    path("<int:ticket_id>/engineering/", views.ticket_engineering, name="engineering"),
    path("<int:ticket_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
