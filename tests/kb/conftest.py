"""KB fixtures: the demo content, a logged-in client per persona, an article factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from supportal.accounts.models import User
from supportal.kb import services
from supportal.kb.demo import load_kb_demo
from supportal.kb.models import Article


@pytest.fixture
def kb(demo):
    """The demo personas plus the demo KB content (articles, docs, a video, a draft)."""
    load_kb_demo(demo)
    return demo


@pytest.fixture
def client_for(demo) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def write_article(demo) -> Callable[..., Article]:
    def make(title: str, body: str = "Some answer.", **fields: object) -> Article:
        draft = services.ArticleDraft(
            title=title,
            body=body,
            product=str(fields.pop("product", "pressero")),
            published=bool(fields.pop("published", True)),
            tags=str(fields.pop("tags", "")),
        )
        return services.create_article(author=demo.agent, draft=draft)

    return make
