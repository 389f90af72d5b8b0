"""WebSocket routes of the live chat, added to ``websocket_urlpatterns`` in supportal/asgi.py."""

from django.urls import path

from .consumers import ChatConsumer, ConsoleConsumer

websocket_urlpatterns = [
    path("ws/chat/console/", ConsoleConsumer.as_asgi()),
    path("ws/chat/<int:chat_id>/", ChatConsumer.as_asgi()),
]
