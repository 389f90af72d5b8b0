"""News and blog: writing and publishing posts, asking to subscribe, digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supportal.accounts.models import Product, User
from supportal.core.dates import format_date
from supportal.core.errors import InvalidInput
from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url
from supportal.core.subscriptions import SubscriptionRequest

from . import tasks
from .models import Post, Subscription
from .subscriptions import SUBSCRIPTIONS


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "post"
    slug, n = base, 1
    while Post.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_post(
    *,
    author: User | None,
    title: str,
    body: str,
    kind: str = Post.Kind.NEWS,
    summary: str = "",
    product: Product | None = None,
    tags: str = "",
    api_change: bool = False,
    publish_at: datetime | None = None,
) -> Post:
    """Write a post. With ``publish_at`` it is scheduled: the publishing job puts it out."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the post a title.")
    if not body.strip():
        errors["body"] = _("Write the post.")
    if kind not in Post.Kind.values:
        errors["kind"] = _("Choose news or blog.")
    if errors:
        raise InvalidInput(errors)
    return Post.objects.create(
        author=author,
        kind=kind,
        title=title.strip(),
        slug=_unique_slug(title),
        summary=summary.strip(),
        body=body,
        product=product,
        tags=tags,
        api_change=api_change,
        publish_at=publish_at,
    )


@dataclass(frozen=True)
class PublishResult:
    published: list[int]
    api_changes: list[int]


def publish_due_posts(*, now: datetime | None = None) -> PublishResult:
    """Publish every scheduled post whose time has come. Safe on several consumers: each
    post is claimed by a conditional UPDATE. The caller announces ``api_changes``."""
    now = now or timezone.now()
    due = Post.objects.filter(published_at=None, publish_at__lte=now)
    published, api_changes = [], []
    for post_id, api_change in list(due.values_list("pk", "api_change")):
        claimed = Post.objects.filter(pk=post_id, published_at=None).update(
            published_at=now, updated_at=now
        )
        if claimed:
            published.append(post_id)
            if api_change:
                api_changes.append(post_id)
    return PublishResult(published=published, api_changes=api_changes)


@transaction.atomic
def schedule_now(*, post: Post) -> None:
    """Make a draft or scheduled post due at once; the publishing job puts it out."""
    Post.objects.filter(pk=post.pk, published_at=None).update(
        publish_at=timezone.now(), updated_at=timezone.now()
    )


def _connection() -> BaseEmailBackend:
    connection: BaseEmailBackend = get_connection(fail_silently=False)
    return connection


def _api_change_message(post: Post, sub: Subscription) -> EmailMessage:
    subject = _("API change: %(title)s") % {"title": post.title}
    published = _("published %(when)s UTC") % {
        "when": format_date(post.published_at or timezone.now(), "numeric_datetime")
    }
    read_it = _("Read it in the portal: %(url)s") % {"url": absolute_url(post.get_absolute_url())}
    text = (
        f"{post.title}\n"
        f"{post.product.name + ' · ' if post.product else ''}"
        f"{published}\n\n"
        f"{post.summary or post.body}\n\n"
        f"{read_it}"
    )
    return SUBSCRIPTIONS.message(to=sub.email, token=sub.token, subject=subject, body=text)


def announce_api_change(post_id: int) -> int:
    """Mail the API-change subscribers about one published post, once."""
    now = timezone.now()
    claimed = Post.objects.filter(
        pk=post_id, api_change=True, published_at__isnull=False, api_announced_at=None
    ).update(api_announced_at=now)
    if not claimed:
        return 0
    post = Post.objects.select_related("product").get(pk=post_id)
    messages = []
    for sub in Subscription.objects.filter(unsubscribed_at=None, api_changes=True):
        with speaking_to(None, language=sub.language):  # the subscriber's language
            messages.append(_api_change_message(post, sub))
    try:
        return _connection().send_messages(messages) or 0
    except Exception:
        # Give the claim back so the task's retry announces it again.
        Post.objects.filter(pk=post_id).update(api_announced_at=None)
        raise


# --- Subscriptions ----------------------------------------------------------------------


def request_subscription(
    *, email: str, blog_digest: bool, api_changes: bool, client_ip: str | None
) -> None:
    """Mail the double opt-in link for these topics (core.subscriptions): from a job
    after commit, unless the throttle holds it back. The caller answers the same either way."""
    SUBSCRIPTIONS.request(
        email=email,
        client_ip=client_ip,
        topics={"blog_digest": blog_digest, "api_changes": api_changes},
        send=lambda wanted: tasks.send_subscription_confirmation_task(
            wanted.email,
            wanted.topics["blog_digest"],
            wanted.topics["api_changes"],
            wanted.language,
        ),
    )


def send_subscription_confirmation(
    *, email: str, blog_digest: bool, api_changes: bool, language: str = ""
) -> None:
    """In the language of the page the subscription was asked on."""
    with speaking_to(None, language=language):
        _send_subscription_confirmation(
            email=email, blog_digest=blog_digest, api_changes=api_changes, language=language
        )


def _send_subscription_confirmation(
    *, email: str, blog_digest: bool, api_changes: bool, language: str
) -> None:
    topics = {"blog_digest": blog_digest, "api_changes": api_changes}
    link = SUBSCRIPTIONS.confirm_link(
        SubscriptionRequest(email=email, topics=topics, language=language)
    )
    if blog_digest and api_changes:
        asked = _(
            "Someone, hopefully you, asked to receive the blog digest and API changes "
            "from Supportal at %(email)s."
        )
    elif api_changes:
        asked = _(
            "Someone, hopefully you, asked to receive API changes from Supportal at %(email)s."
        )
    else:
        asked = _(
            "Someone, hopefully you, asked to receive the blog digest from Supportal at %(email)s."
        )
    confirm = _("Confirm here:")
    valid = _(
        "The link is valid for %(days)s days. "
        "If you did not ask, ignore this message: nothing will be sent."
    ) % {"days": settings.SUPPORTAL_SUBSCRIPTION_CONFIRM_DAYS}
    EmailMessage(
        subject=_("Confirm your Supportal subscription"),
        body=f"{asked % {'email': email}}\n\n{confirm}\n{link}\n\n{valid}",
        to=[email],
    ).send()


# --- Digest -----------------------------------------------------------------------------


def _digest_text(posts: list[Post]) -> str:
    lines = [_("New in the Supportal news and blog:"), ""]
    for post in posts:
        label = _("Blog") if post.kind == Post.Kind.BLOG else _("News")
        flag = " [" + _("API change") + "]" if post.api_change else ""
        published = format_date(post.published_at or timezone.now(), "numeric_date")
        lines.append(f"* {label}{flag}: {post.title} ({published})")
        if post.summary:
            lines.append(f"  {post.summary}")
        lines.append(f"  {absolute_url(post.get_absolute_url())}")
    return "\n".join(lines)


def send_digests(*, now: datetime | None = None) -> int:
    """Send each digest subscriber whose period is over the posts published since their last
    digest. Each subscriber is claimed by a conditional UPDATE; returns messages sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUPPORTAL_NEWS_DIGEST_DAYS)
    due = Subscription.objects.filter(unsubscribed_at=None, blog_digest=True).exclude(
        last_digest_at__gt=cutoff
    )
    sent = 0
    connection = _connection()
    for sub in due:
        claimed = Subscription.objects.filter(pk=sub.pk, last_digest_at=sub.last_digest_at).update(
            last_digest_at=now
        )
        if not claimed:
            continue
        since = max(filter(None, [sub.last_digest_at, sub.confirmed_at]))
        posts = list(
            Post.objects.filter(published_at__gt=since, published_at__lte=now).order_by(
                "published_at", "id"
            )
        )
        if not posts:
            continue
        with speaking_to(None, language=sub.language):  # the subscriber's language
            message = SUBSCRIPTIONS.message(
                to=sub.email,
                token=sub.token,
                subject=ngettext(
                    "Supportal digest: %(count)s new post",
                    "Supportal digest: %(count)s new posts",
                    len(posts),
                )
                % {"count": len(posts)},
                body=_digest_text(posts),
            )
        message.connection = connection
        sent += message.send()
    return sent
