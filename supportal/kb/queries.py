"""Reads the KB pages need: the doc tree, training sessions with seats, and the staff
insights (deflection, helpfulness, searches that found nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from supportal.accounts.models import Product, TrainingSession, User
from supportal.tickets.models import Ticket

from .access import articles_visible_to, doc_pages_visible_to
from .models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    DeflectionEvent,
    DocPage,
    SearchGap,
    TrainingRegistration,
)


def reader_language() -> str:
    """The active language's code without region ("es" for "es-es")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


@dataclass(frozen=True)
class LocalizedArticle:
    """An article as a reader in ``language`` sees it."""

    title: str
    body: str
    language: str  # of the text shown
    untranslated: bool  # the reader's language has no version: the site's own is shown


def localize_article(article: Article, language: str) -> LocalizedArticle:
    """The article's version in ``language``, else the article itself."""
    if language != settings.LANGUAGE_CODE:
        version = ArticleTranslation.objects.filter(article=article, language=language).first()
        if version is not None:
            return LocalizedArticle(version.title, version.body, language, untranslated=False)
    untranslated = language != settings.LANGUAGE_CODE
    return LocalizedArticle(article.title, article.body, settings.LANGUAGE_CODE, untranslated)


def localized_titles(articles: list[Article], language: str) -> dict[int, str]:
    """Article id → title in ``language`` where a translation exists (one query)."""
    if language == settings.LANGUAGE_CODE or not articles:
        return {}
    rows = ArticleTranslation.objects.filter(article__in=articles, language=language).values_list(
        "article_id", "title"
    )
    return dict(rows)


@dataclass(frozen=True)
class DocNode:
    page: DocPage
    children: list[DocNode]


def doc_tree(user: User, product: Product) -> list[DocNode]:
    """The product's documentation pages as a tree, in position order."""
    pages = list(doc_pages_visible_to(user).filter(product=product).order_by("position", "title"))
    by_parent: dict[int | None, list[DocPage]] = {}
    for page in pages:
        by_parent.setdefault(page.parent_id, []).append(page)

    def build(parent_id: int | None, depth: int) -> list[DocNode]:
        if depth > 10:  # a cycle typed into the admin must not hang the page
            return []
        return [DocNode(p, build(p.pk, depth + 1)) for p in by_parent.get(parent_id, [])]

    return build(None, 0)


def recent_articles(user: User, *, product: str | None = None, limit: int = 10) -> list[Article]:
    qs = articles_visible_to(user)
    if product:
        qs = qs.filter(product__slug=product)
    return list(qs.order_by("-updated_at", "-id")[:limit])


def article_revisions(article: Article) -> QuerySet[ArticleRevision]:
    return article.revisions.select_related("editor").order_by("-number")


def upcoming_sessions(user: User) -> QuerySet[TrainingSession]:
    """Sessions still to come, with ``registered_count``, ``seats_left``, ``is_registered``."""
    mine = TrainingRegistration.objects.filter(session=OuterRef("pk"), user_id=user.pk)
    return (
        TrainingSession.objects.select_related("product")
        .filter(starts_at__gt=timezone.now())
        .annotate(
            registered_count=Count("registrations", distinct=True), is_registered=Exists(mine)
        )
        .annotate(seats_left=F("seats") - F("registered_count"))
        .order_by("starts_at")
    )


def sessions_for_attendance() -> QuerySet[TrainingSession]:
    """Recent and coming sessions for staff, newest first."""
    since = timezone.now() - timedelta(days=90)
    return (
        TrainingSession.objects.select_related("product")
        .filter(starts_at__gte=since)
        .annotate(registered_count=Count("registrations", distinct=True))
        .order_by("-starts_at")
    )


@dataclass(frozen=True)
class ArticleInsight:
    article: Article
    opened: int  # opened from a new-ticket suggestion
    solved: int  # "this solved my question"
    left: int  # opened, then no ticket within the window
    filed: int  # opened, then a ticket anyway
    helpful: int
    not_helpful: int

    @property
    def deflections(self) -> int:
        return self.solved + self.left


# Later than any moment a suggestion can be marked solved: "not solved" in a comparison.
_NEVER = datetime(9999, 1, 1, tzinfo=UTC)


def followed_by_ticket() -> Exists:
    """For a DeflectionEvent: its opener filed a ticket within
    SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES of opening it, before saying it solved their
    question; it was then no deflection. Decided when counted, from the tickets: filing a
    ticket, the busiest write, does no knowledge-base work."""
    window = timedelta(minutes=settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES)
    return Exists(
        Ticket.objects.filter(
            requester_id=OuterRef("user_id"),
            received_at__gte=OuterRef("opened_at"),
            received_at__lte=ExpressionWrapper(
                OuterRef("opened_at") + Value(window), output_field=DateTimeField()
            ),
            received_at__lt=Coalesce(
                OuterRef("solved_at"), Value(_NEVER), output_field=DateTimeField()
            ),
        )
    )


def left_without_ticket(cutoff: datetime) -> Q:
    """For a DeflectionEvent: an implied deflection, opened before ``cutoff`` (its window
    has passed), not marked solved and followed by no ticket."""
    return Q(~followed_by_ticket(), solved_at=None, opened_at__lt=cutoff)


def article_insights(*, limit: int = 100) -> list[ArticleInsight]:
    """Per article: deflections (explicit and implied) and helpfulness votes, most
    deflecting first. Implied deflections are counted once the window has passed."""
    cutoff = timezone.now() - timedelta(minutes=settings.SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES)
    counts = {
        row["article_id"]: row
        for row in DeflectionEvent.objects.values("article_id").annotate(
            opened=Count("pk"),
            solved=Count("pk", filter=Q(solved_at__isnull=False)),
            left=Count("pk", filter=left_without_ticket(cutoff)),
            filed=Count("pk", filter=followed_by_ticket()),
        )
    }
    articles = (
        Article.objects.select_related("product")
        .annotate(
            helpful=Count("votes", filter=Q(votes__helpful=True)),
            not_helpful=Count("votes", filter=Q(votes__helpful=False)),
        )
        .filter(Q(pk__in=list(counts)) | Q(helpful__gt=0) | Q(not_helpful__gt=0))
    )
    none = {"opened": 0, "solved": 0, "left": 0, "filed": 0}
    insights = [
        ArticleInsight(
            article=article,
            opened=(row := counts.get(article.pk, none))["opened"],
            solved=row["solved"],
            left=row["left"],
            filed=row["filed"],
            helpful=article.helpful,
            not_helpful=article.not_helpful,
        )
        for article in articles
    ]
    insights.sort(key=lambda insight: (-insight.opened, insight.article.title))
    return insights[:limit]


def search_gaps(*, limit: int = 50) -> QuerySet[SearchGap]:
    """The searches that found nothing, most asked first."""
    return SearchGap.objects.order_by("-count", "-last_seen")[:limit]
