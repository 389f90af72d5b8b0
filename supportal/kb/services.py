"""The write path of the knowledge base: authoring with revisions, the search index,
deflection and helpfulness, training registration and attendance."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from supportal.accounts.access import require_staff
from supportal.accounts.models import Product, TrainingAttendance, TrainingSession, User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.markdown import render_markdown
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Ticket

from . import search
from .embeds import embed_url_problem
from .models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVote,
    Category,
    DeflectionEvent,
    DocPage,
    SearchDocument,
    SearchGap,
    TrainingRegistration,
    TrainingVideo,
)

TITLE_MAX = 200
TAGS_MAX = 300
BODY_MAX = 100_000


@dataclass(frozen=True)
class TranslationDraft:
    """An article's version in one other language; empty title and body remove it."""

    language: str
    title: str = ""
    body: str = ""


@dataclass(frozen=True)
class ArticleDraft:
    """What an author submits; the portal form and the API build one."""

    title: str
    body: str
    product: str  # product slug
    published: bool = False
    tags: str = ""
    category_id: int | None = None
    note: str = ""
    # None leaves the translations as they are (the API does not carry them).
    translations: tuple[TranslationDraft, ...] | None = None


def plain_text(markdown: str) -> str:
    """The words of a markdown text, for the index: rendered, then stripped of tags."""
    rendered = nh3.clean(str(render_markdown(markdown)), tags=set())
    return html.unescape(rendered)


def _normal_tags(raw: str) -> str:
    tags = [t.strip().lower() for t in (raw or "").split(",")]
    return ", ".join(dict.fromkeys(t for t in tags if t))


def validate_article(draft: ArticleDraft) -> tuple[Product, Category | None]:
    """Check a draft field by field; raises InvalidInput naming every bad field."""
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = "Give the article a title."
    elif len(draft.title.strip()) > TITLE_MAX:
        errors["title"] = f"Keep the title under {TITLE_MAX} characters."
    if not draft.body.strip():
        errors["body"] = "Write the answer."
    elif len(draft.body) > BODY_MAX:
        errors["body"] = f"Keep the article under {BODY_MAX:,} characters."
    if len(_normal_tags(draft.tags)) > TAGS_MAX:
        errors["tags"] = f"Keep the tags under {TAGS_MAX} characters."
    product = Product.objects.filter(slug=draft.product, active=True).first()
    if product is None:
        errors["product"] = "Choose one of the products."
    category = None
    if draft.category_id is not None:
        category = Category.objects.filter(pk=draft.category_id).first()
        if category is None:
            errors["category"] = "Choose one of the categories."
    for translation in draft.translations or ():
        errors.update(_translation_errors(translation))
    if errors:
        raise InvalidInput(errors)
    assert product is not None  # else errors named it
    return product, category


def _translation_errors(translation: TranslationDraft) -> dict[str, str]:
    """Errors keyed ``title_<language>`` / ``body_<language>`` (the form's field names)."""
    title, body, code = translation.title.strip(), translation.body, translation.language
    if code == settings.LANGUAGE_CODE or code not in dict(settings.LANGUAGES):
        return {f"title_{code}": "Choose one of the other languages."}
    if not title and not body.strip():
        return {}  # no translation (any existing one is removed)
    if not title:
        return {f"title_{code}": "Give the translation a title too."}
    if len(title) > TITLE_MAX:
        return {f"title_{code}": f"Keep the title under {TITLE_MAX} characters."}
    if not body.strip():
        return {f"body_{code}": "Translate the answer too."}
    if len(body) > BODY_MAX:
        return {f"body_{code}": f"Keep the article under {BODY_MAX:,} characters."}
    return {}


def _save_translations(article: Article, translations: tuple[TranslationDraft, ...]) -> bool:
    """Create, change or remove the article's translations; True if any changed."""
    changed = False
    existing = {t.language: t for t in article.translations.all()}
    for draft in translations:
        title, current = draft.title.strip(), existing.get(draft.language)
        if not title:
            if current is not None:
                current.delete()
                changed = True
        elif current is None:
            ArticleTranslation.objects.create(
                article=article, language=draft.language, title=title, body=draft.body
            )
            changed = True
        elif (current.title, current.body) != (title, draft.body):
            current.title, current.body, current.updated_at = title, draft.body, timezone.now()
            current.save()
            changed = True
    return changed


def _unique_slug(model: type[Article] | type[TrainingVideo], title: str) -> str:
    base = slugify(title)[:200] or "article"
    if base == "new":  # /kb/articles/new/ is the authoring page
        base = "new-article"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _append_revision(article: Article, editor: User, note: str) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    return ArticleRevision.objects.create(
        article=article,
        number=(last or 0) + 1,
        title=article.title,
        body=article.body,
        tags=article.tags,
        product_slug=article.product.slug,
        category_name=article.category.name if article.category else "",
        status=article.status,
        editor=editor,
        note=note.strip()[:200],
        created_at=article.updated_at,
    )


@transaction.atomic
def create_article(*, author: User, draft: ArticleDraft) -> Article:
    """Staff write an article; revision 1 records it. Raises NotPermitted, InvalidInput."""
    require_staff(author, "write articles")
    product, category = validate_article(draft)
    now = timezone.now()
    title = draft.title.strip()
    article = Article.objects.create(
        title=title,
        slug=_unique_slug(Article, title),
        product=product,
        category=category,
        tags=_normal_tags(draft.tags),
        body=draft.body,
        status=Article.Status.PUBLISHED if draft.published else Article.Status.DRAFT,
        author=author,
        created_at=now,
        updated_at=now,
        published_at=now if draft.published else None,
    )
    _append_revision(article, author, draft.note or "Created")
    if draft.translations:
        _save_translations(article, draft.translations)
    sync_article(article)
    return article


@transaction.atomic
def update_article(*, article: Article, editor: User, draft: ArticleDraft) -> Article:
    """Save a new version; the slug never changes. A save that changes nothing adds no
    revision. Raises NotPermitted, InvalidInput."""
    require_staff(editor, "edit articles")
    product, category = validate_article(draft)
    article = Article.objects.select_for_update().get(pk=article.pk)
    status = Article.Status.PUBLISHED if draft.published else Article.Status.DRAFT
    changes = {
        "title": draft.title.strip(),
        "body": draft.body,
        "tags": _normal_tags(draft.tags),
        "product": product,
        "category": category,
        "status": status,
    }
    translated = _save_translations(article, draft.translations or ())
    if all(getattr(article, name) == value for name, value in changes.items()):
        if translated:  # translations are not revisions of the article; the index follows
            sync_article(article)
        return article
    for name, value in changes.items():
        setattr(article, name, value)
    article.updated_at = timezone.now()
    if status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = article.updated_at
    article.save()
    _append_revision(article, editor, draft.note)
    sync_article(article)
    return article


# --- The search index ------------------------------------------------------------------


def _sync(kind: str, object_id: int, language: str | None = None, **fields: object) -> None:
    fields["body"] = search.clean_index_text(str(fields["body"]))
    document, _ = SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, language=language or settings.LANGUAGE_CODE, defaults=fields
    )
    search.index_documents([document.pk])


def sync_article(article: Article) -> None:
    """Index the article and each of its translations (one document per language); a
    removed translation leaves the index."""
    common: dict[str, Any] = {
        "product": article.product,
        "tags": article.tags,
        "url": article.get_absolute_url(),
        "published": article.is_published,
    }
    _sync(
        SearchDocument.Kind.ARTICLE,
        article.pk,
        title=article.title,
        body=plain_text(article.body),
        **common,
    )
    translations = list(article.translations.all())
    for translation in translations:
        _sync(
            SearchDocument.Kind.ARTICLE,
            article.pk,
            translation.language,
            title=translation.title,
            body=plain_text(translation.body),
            **common,
        )
    stale = list(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.ARTICLE, object_id=article.pk)
        .exclude(language=settings.LANGUAGE_CODE)
        .exclude(language__in=[t.language for t in translations])
        .values_list("pk", flat=True)
    )
    if stale:
        search.unindex_documents(stale)
        SearchDocument.objects.filter(pk__in=stale).delete()


def sync_doc_page(page: DocPage) -> None:
    _sync(
        SearchDocument.Kind.DOC,
        page.pk,
        product=page.product,
        title=page.title,
        tags="",
        body=plain_text(page.body),
        url=page.get_absolute_url(),
        published=page.published,
    )


def sync_video(video: TrainingVideo) -> None:
    _sync(
        SearchDocument.Kind.VIDEO,
        video.pk,
        product=video.product,
        title=video.title,
        tags="video, training",
        body=video.transcript,
        url=video.get_absolute_url(),
        published=video.published,
    )


@transaction.atomic
def remove_from_index(*, kind: str, object_id: int) -> None:
    ids = list(
        SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True)
    )
    search.unindex_documents(ids)
    SearchDocument.objects.filter(pk__in=ids).delete()


@transaction.atomic
def save_doc_page(*, page: DocPage) -> DocPage:
    """Save a documentation page and index it."""
    page.slug = page.slug or slugify(page.title)[:200] or "page"
    page.updated_at = timezone.now()
    page.save()
    sync_doc_page(page)
    return page


@transaction.atomic
def save_video(*, video: TrainingVideo) -> TrainingVideo:
    """Save a training video (embed URL from the allow-list) and index its transcript."""
    problem = embed_url_problem(video.embed_url, settings.SUPPORTAL_KB_VIDEO_HOSTS)
    if problem:
        raise InvalidInput({"embed_url": problem})
    if not video.slug:
        video.slug = _unique_slug(TrainingVideo, video.title)
    video.save()
    sync_video(video)
    return video


def record_search_gap(*, query: str, product: str | None) -> None:
    """Count a search that found nothing (only searches that had words in them)."""
    text = " ".join(search.words_of(query))[:200]
    if not text:
        return
    now = timezone.now()
    product_slug = (product or "")[:30]
    updated = SearchGap.objects.filter(query=text, product_slug=product_slug).update(
        count=F("count") + 1, last_seen=now
    )
    if not updated:
        try:
            with transaction.atomic():
                SearchGap.objects.create(query=text, product_slug=product_slug, last_seen=now)
        except IntegrityError:  # someone else counted it first
            SearchGap.objects.filter(query=text, product_slug=product_slug).update(
                count=F("count") + 1, last_seen=now
            )


# --- Deflection and helpfulness ----------------------------------------------------------


def open_suggestion(*, user: User, article: Article, query: str) -> DeflectionEvent | None:
    """A customer opened an article the new-ticket form suggested. Staff are not counted."""
    if not user.is_customer:
        return None
    return DeflectionEvent.objects.create(user=user, article=article, query=query.strip()[:200])


@transaction.atomic
def mark_solved(*, event: DeflectionEvent, user: User) -> DeflectionEvent:
    """ "This solved my question": an explicit deflection. Idempotent."""
    if event.user_id != user.pk:
        raise NotPermitted("That suggestion was opened by someone else.")
    DeflectionEvent.objects.filter(pk=event.pk, solved_at=None).update(solved_at=timezone.now())
    event.refresh_from_db()
    return event


@transaction.atomic
def vote_on_article(*, article: Article, user: User, helpful: bool) -> ArticleVote:
    """Record or change the reader's "was this helpful?" answer."""
    vote, _ = ArticleVote.objects.update_or_create(
        article=article, user=user, defaults={"helpful": helpful, "voted_at": timezone.now()}
    )
    return vote


# --- Training --------------------------------------------------------------------------


@transaction.atomic
def register_for_training(*, session: TrainingSession, user: User) -> TrainingRegistration:
    """Reserve a seat. The session row is locked while seats are counted, so two last
    registrations cannot both take the last seat. Raises RuleViolation."""
    if not user.is_customer:
        raise RuleViolation("customers_only", "Seats at group trainings are for customers.")
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.starts_at <= timezone.now():
        raise RuleViolation("session_started", "This session has already started.")
    existing = TrainingRegistration.objects.filter(session=locked, user=user).first()
    if existing is not None:
        return existing
    if TrainingRegistration.objects.filter(session=locked).count() >= locked.seats:
        raise RuleViolation("session_full", "This session is full.")
    return TrainingRegistration.objects.create(session=locked, user=user)


@transaction.atomic
def unregister_from_training(*, session: TrainingSession, user: User) -> bool:
    """Give the seat back (before the session starts). Returns whether one was held."""
    if not user.is_customer:
        raise RuleViolation("customers_only", "Seats at group trainings are for customers.")
    if session.starts_at <= timezone.now():
        raise RuleViolation("session_started", "This session has already started.")
    deleted, _ = TrainingRegistration.objects.filter(session=session, user=user).delete()
    return bool(deleted)


@transaction.atomic
def mark_attendance(*, session: TrainingSession, attendees: list[User], recorded_by: User) -> int:
    """Staff record who attended; this meets the support training requirement. Idempotent.
    Returns how many attendances were new."""
    require_staff(recorded_by, "record attendance")
    created = 0
    for user in attendees:
        _, was_new = TrainingAttendance.objects.get_or_create(
            user=user, session=session, defaults={"recorded_by": recorded_by}
        )
        created += int(was_new)
    return created


def request_one_on_one_training(*, requester: User, product: str, details: str) -> Ticket:
    """One-on-one training is billable professional services: it becomes a ticket of kind
    "training request" for the team to quote. Raises InvalidInput, RuleViolation."""
    draft = ticket_services.TicketDraft(
        product=product,
        kind=Ticket.Kind.TRAINING_REQUEST,
        subject="One-on-one training request",
        description=details,
    )
    return ticket_services.open_ticket(
        requester=requester, draft=draft, channel=Ticket.Channel.PORTAL
    )
