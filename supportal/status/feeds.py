"""RSS and Atom feeds of incidents and maintenance: one entry per event, updated as its
timeline grows. Public, with conditional GET."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from supportal.core.dates import format_date
from supportal.core.feeds import NOTHING_PUBLISHED_YET, StableAtomFeed, StableRssFeed
from supportal.core.links import absolute_url

from . import queries
from .models import Incident


class _IncidentFeed(Feed[Incident, None]):
    url_name = ""

    def title(self) -> str:
        return _("Supportal status: incidents and maintenance")

    def description(self) -> str:
        return _("Incidents and scheduled maintenance of the Supportal products, API and portal.")

    def link(self) -> str:
        return reverse("status:page")

    def feed_url(self) -> str:
        return reverse(self.url_name)

    def items(self) -> list[Incident]:
        return queries.feed_incidents()

    def item_title(self, item: Incident) -> str:
        state = item.get_status_display()
        return f"{item.name} ({state})"

    def item_description(self, item: Incident) -> str:
        parts = []
        for update in item.updates.all():
            when = format_date(update.created_at.astimezone(UTC), "numeric_datetime") + " UTC"
            head = f"<p><strong>{escape(update.get_status_display())}</strong> · {when}</p>"
            parts.append(head + linebreaks(escape(update.body)))
        return "".join(parts)

    def item_link(self, item: Incident) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Incident) -> str:
        return f"urn:supportal:status:incident:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Incident) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Incident) -> datetime:
        return item.updated_at


class IncidentRssFeed(_IncidentFeed):
    feed_type = StableRssFeed
    url_name = "status:feed_rss"


class IncidentAtomFeed(_IncidentFeed):
    feed_type = StableAtomFeed
    url_name = "status:feed_atom"

    def subtitle(self) -> str:
        return self.description()


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    rows = Incident.objects.order_by("-updated_at", "-id").values_list("pk", "updated_at")[:50]
    # The language is part of it: the fixed texts and the status names differ by it.
    digest = hashlib.sha256(f"{request.path}:{get_language()}".encode())
    for pk, updated_at in rows:
        digest.update(f"{pk}:{updated_at.isoformat()};".encode())
    return digest.hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime:
    """The newest change; with no incidents yet the fixed date the empty feed carries."""
    newest = Incident.objects.order_by("-updated_at").values_list("updated_at", flat=True)
    return newest.first() or NOTHING_PUBLISHED_YET


# Public like the news feeds: readers and proxies may keep them, revalidating by ETag.
public_feed = cache_control(public=True, no_cache=True)
conditional = condition(etag_func=_etag, last_modified_func=_last_modified)
rss_feed = public_feed(conditional(IncidentRssFeed()))
atom_feed = public_feed(conditional(IncidentAtomFeed()))
