"""The news mailing list: the digest and API-change announcements (core.subscriptions)."""

from __future__ import annotations

from supportal.core.subscriptions import SubscriptionList

from .models import Subscription

SUBSCRIPTIONS = SubscriptionList(
    purpose="news.subscribe",
    model=Subscription,
    namespace="news",
    topics={"blog_digest": "b", "api_changes": "a"},
    no_topic="Choose at least one: the blog digest or API changes.",
    list_id="Supportal news <news.supportal.localhost>",
)
