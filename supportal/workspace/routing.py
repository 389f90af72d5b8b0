"""WebSocket route of the ticket page's presence, added in supportal/asgi.py."""

from django.urls import path

from .consumers import TicketPresenceConsumer

# arg-type: Channels' URLRouter takes ASGI applications in Django's path(), typed for views.
websocket_urlpatterns = [
    path("ws/tickets/<int:ticket_id>/presence/", TicketPresenceConsumer.as_asgi()),  # type: ignore[arg-type]
]
