from django.urls import path

from . import macro_views, merge_views, views

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
    path("<int:ticket_id>/merge/", merge_views.ticket_merge, name="merge"),
    path("<int:ticket_id>/split/", merge_views.ticket_split, name="split"),
    path("<int:ticket_id>/fields/", merge_views.ticket_fields, name="fields"),
    path("<int:ticket_id>/macros/<int:macro_id>/", macro_views.macro_text, name="macro_text"),
    path("bulk/", merge_views.bulk_action, name="bulk"),
    path("macros/", macro_views.macro_list, name="macros"),
    path("macros/new/", macro_views.macro_edit, name="macro_new"),
    path("macros/<int:macro_id>/", macro_views.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", macro_views.macro_delete, name="macro_delete"),
    path("<int:ticket_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
