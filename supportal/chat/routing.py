"""WebSocket routes of the live chat, added to ``websocket_urlpatterns`` in supportal/asgi.py."""

from django.urls import path

from .consumers import ChatConsumer, ConsoleConsumer

# arg-type: Channels' URLRouter takes ASGI applications in Django's path(), typed for views.
websocket_urlpatterns = [
    path("ws/chat/console/", ConsoleConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/chat/<int:chat_id>/", ChatConsumer.as_asgi()),  # type: ignore[arg-type]
]
