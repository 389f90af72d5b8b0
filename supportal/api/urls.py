"""The JSON API: OpenAPI at /api/openapi.json, docs at /api/docs, routes under /api/v1/."""

from django.urls import path
from ninja import NinjaAPI

from . import accounts, tickets
from .errors import install_error_handlers
from .security import BearerToken, declare_scope_refusals

api = NinjaAPI(
    title="Supportal API",
    version="1",
    description="The Supportal HTTP contract. Authenticate with `POST /api/v1/auth/token`, "
    "then send `Authorization: Bearer <token>`.",
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", "supportal.api.search.router")  # before tickets: /tickets/search
api.add_router("/v1/", tickets.router)
api.add_router("/v1/", "supportal.api.kb.router")
api.add_router("/v1/", "supportal.api.chat.router")
api.add_router("/v1/", "supportal.api.billing.router")
api.add_router("/v1/", "supportal.api.ideas.router")
api.add_router("/v1/", "supportal.api.reports.router")
api.add_router("/v1/", "supportal.api.workspace.router")
api.add_router("/v1/", "supportal.api.mentions.router")
declare_scope_refusals(api)  # after the last router: read-only tokens get 403 on writes

urlpatterns = [path("", api.urls)]
