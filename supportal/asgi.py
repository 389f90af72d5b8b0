"""ASGI entry point: HTTP through Django, WebSocket through Channels."""

import os
from typing import Any

from django.core.asgi import get_asgi_application

from supportal.cli import PRIVATE_UMASK

# uvicorn started directly (not by `supportal serve`) creates files private to its user too.
os.umask(PRIVATE_UMASK)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

from supportal.core.http_threads import ThreadedDjango  # noqa: E402

# Pages and the API: Django's WSGI handler in a fixed pool of threads (core/http_threads.py),
# or Django's ASGI handler (a thread per request) with SUPPORTAL_HTTP_THREADS=0.
http_app = (
    ThreadedDjango(settings.SUPPORTAL_HTTP_THREADS)
    if settings.SUPPORTAL_HTTP_THREADS > 0
    else django_asgi_app
)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from supportal.core.uploads import RequestBodyLimit  # noqa: E402

websocket_urlpatterns: list[Any] = []  # live chat (issue 7) adds its consumers here

from supportal.chat.routing import websocket_urlpatterns as chat_routes  # noqa: E402

websocket_urlpatterns += chat_routes

from supportal.workspace.routing import (  # noqa: E402
    websocket_urlpatterns as workspace_routes,
)

websocket_urlpatterns += workspace_routes

application = ProtocolTypeRouter(
    {
        "http": RequestBodyLimit(http_app),  # 413 before reading
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
