from __future__ import annotations

from datetime import datetime

import pytest

from supportal.accounts.models import Product
from supportal.news import services
from supportal.news.models import Post

from .smtp import smtp  # noqa: F401  (fixture: a real SMTP listener)


@pytest.fixture
def publish(demo):
    """``publish(title, at=..., **fields)``: a post written and put out at ``at``."""

    def _publish(title: str, *, at: datetime, body: str = "Body.", **fields) -> Post:
        if isinstance(fields.get("product"), str):
            fields["product"] = Product.objects.get(slug=fields["product"])
        post = services.create_post(
            author=demo.manager, title=title, body=body, publish_at=at, **fields
        )
        services.publish_due_posts(now=at)
        post.refresh_from_db()
        return post

    return _publish
