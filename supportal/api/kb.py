"""Knowledge base: search (everyone; customers find only published content) and article
authoring (staff). Thin over ``supportal.kb``."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from supportal.accounts.models import Product
from supportal.kb import search, services
from supportal.kb.access import can_author, get_article_by_id_for_user, search_for_user
from supportal.kb.models import Article

from .schemas import ErrorOut, ValidationErrorOut
from .security import caller

router = Router(tags=["knowledge base"])


class KbSearchQuery(Schema):
    q: str = Field(
        "",
        description="Any text; words are matched, the last as a prefix. A longer text than "
        "SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS (200) is cut to it, not refused.",
    )
    product: str | None = Field(None, description="A product slug, e.g. pressero.")


class KbSearchItemOut(Schema):
    id: int = Field(description="The id of the article, documentation page or video.")
    title: str
    url: str = Field(description="Absolute address of the page in the portal.")
    snippet: str = Field(
        description="Escaped HTML text around the match; matched words in <mark> elements."
    )
    kind: Literal["article", "doc", "video"]
    product: str | None


class KbSearchOut(Schema):
    items: list[KbSearchItemOut]


class KbArticleIn(Schema):
    title: str
    body: str = Field(description="Markdown.")
    product: str = Field(description="pressero, edocbuilder, pjm or tflow.")
    published: bool = False
    tags: str = Field("", description="Comma-separated.")


class KbArticleOut(Schema):
    id: int
    url: str
    slug: str
    title: str
    body: str
    product: str
    tags: str
    published: bool


def _article_out(request: HttpRequest, article: Article) -> dict[str, object]:
    return {
        "id": article.pk,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "slug": article.slug,
        "title": article.title,
        "body": article.body,
        "product": article.product.slug,
        "tags": article.tags,
        "published": article.is_published,
    }


@router.get(
    "/kb/search",
    response={200: KbSearchOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Search articles, documentation and video transcripts, best first",
)
def kb_search(request: HttpRequest, query: Query[KbSearchQuery]) -> dict[str, object]:
    user = caller(request)
    product = query.product or None
    if product and not Product.objects.filter(slug=product).exists():
        raise ValidationError(
            [{"loc": ["query", "product"], "msg": "Unknown product.", "type": "invalid"}]
        )
    text = search.cut_query(query.q)
    hits = search_for_user(user, text, product=product)
    if text.strip() and not hits:
        services.record_search_gap(query=text, product=product)
    return {
        "items": [
            {
                "id": hit.object_id,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "snippet": hit.snippet,
                "kind": hit.kind,
                "product": hit.product_slug,
            }
            for hit in hits
        ]
    }


@router.post(
    "/kb/articles",
    response={
        201: KbArticleOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Write an article (staff)",
)
def create_article(request: HttpRequest, payload: KbArticleIn) -> Status[dict[str, object]]:
    user = caller(request)
    if not can_author(user):
        raise HttpError(403, "Only support staff write articles.")
    draft = services.ArticleDraft(
        title=payload.title,
        body=payload.body,
        product=payload.product,
        published=payload.published,
        tags=payload.tags,
    )
    article = services.create_article(author=user, draft=draft)
    return Status(201, _article_out(request, article))


@router.get(
    "/kb/articles/{article_id}",
    response={200: KbArticleOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One article (customers: published only)",
)
def get_article(request: HttpRequest, article_id: int) -> dict[str, object]:
    return _article_out(request, get_article_by_id_for_user(caller(request), article_id))
