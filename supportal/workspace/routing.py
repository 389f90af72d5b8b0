"""WebSocket route of the ticket page's presence, added in supportal/asgi.py."""

from django.urls import path

from .consumers import TicketPresenceConsumer

websocket_urlpatterns = [
    path("ws/tickets/<int:ticket_id>/presence/", TicketPresenceConsumer.as_asgi()),
]
