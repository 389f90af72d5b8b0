"""The ideas board's write path: ideas, votes, follows, comments, ticket links, merges,
statuses. Popularity is always recounted from the rows, under a lock on the idea row, so
concurrent votes and merges can neither lose nor double a count.

Who asked for an idea: every user who voted for it and every requester of a ticket linked
to it. Popularity is the number of distinct organizations and distinct users among them;
a user who voted and filed a ticket counts once."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from supportal.accounts.access import is_working_staff, require_staff
from supportal.accounts.models import Product, User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets.models import Ticket

from . import tasks
from .models import Comment, Follower, Idea, StatusChange, TicketLink, Vote


def can_manage_ideas(user: User) -> bool:
    return is_working_staff(user)


def _lock(idea_id: int) -> Idea:
    """Lock the idea's row, following merges to the idea that now stands for it."""
    idea = Idea.objects.select_for_update().get(pk=idea_id)
    while idea.merged_into_id is not None:
        idea = Idea.objects.select_for_update().get(pk=idea.merged_into_id)
    return idea


def _askers(idea_id: int) -> list[tuple[int, int | None, datetime]]:
    votes = Vote.objects.filter(idea_id=idea_id).values_list(
        "user_id", "organization_id", "created_at"
    )
    tickets = TicketLink.objects.filter(idea_id=idea_id).values_list(
        "ticket__requester_id", "ticket__organization_id", "ticket__received_at"
    )
    return [*votes, *tickets]


def recount(idea: Idea, *, now: datetime | None = None) -> Idea:
    """Count distinct users and organizations asking, overall and in the trend window.
    The caller holds the idea's row lock (or runs where nothing else writes)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.SUPPORTAL_IDEAS_TREND_DAYS)
    askers = _askers(idea.pk)
    idea.user_count = len({user for user, _, _ in askers})
    idea.org_count = len({org for _, org, _ in askers if org is not None})
    idea.trend_count = len({user for user, _, at in askers if at >= since})
    Idea.objects.filter(pk=idea.pk).update(
        user_count=idea.user_count, org_count=idea.org_count, trend_count=idea.trend_count
    )
    return idea


def _follow(idea: Idea, user: User) -> None:
    # The savepoint rolls back inside; a concurrent follow already made the row.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        Follower.objects.get_or_create(idea=idea, user=user)


@transaction.atomic
def create_idea(
    *, actor: User, title: str, description: str = "", product: Product | None = None
) -> Idea:
    require_staff(actor, "add ideas")
    if not title.strip():
        raise InvalidInput({"title": "Give the idea a title."})
    return Idea.objects.create(
        title=title.strip(), description=description, product=product, created_by=actor
    )


@transaction.atomic
def vote(*, idea: Idea, user: User) -> Idea:
    """Vote for an idea (or the idea it was merged into). Voting twice changes nothing.
    The voter follows the idea. Returns the idea, recounted."""
    if not user.is_customer:
        raise NotPermitted("Only customers vote; staff link tickets instead.")
    target = _lock(idea.pk)
    # The unique constraint is the last word: a concurrent vote by the same user wins.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        Vote.objects.get_or_create(
            idea=target, user=user, defaults={"organization_id": user.organization_id}
        )
    _follow(target, user)
    return recount(target)


@transaction.atomic
def unvote(*, idea: Idea, user: User) -> Idea:
    if not user.is_customer:
        raise NotPermitted("Only customers vote.")
    target = _lock(idea.pk)
    Vote.objects.filter(idea=target, user=user).delete()
    return recount(target)


@transaction.atomic
def set_following(*, idea: Idea, user: User, follow: bool) -> None:
    target = _lock(idea.pk)
    if follow:
        _follow(target, user)
    else:
        Follower.objects.filter(idea=target, user=user).delete()


@transaction.atomic
def add_comment(*, idea: Idea, author: User, body: str) -> Comment:
    if not (author.is_customer or author.is_support_staff):
        raise NotPermitted("Read-only staff do not comment.")
    if not body.strip():
        raise InvalidInput({"body": "Write a comment."})
    target = _lock(idea.pk)
    comment = Comment.objects.create(idea=target, author=author, body=body)
    _follow(target, author)
    return comment


@transaction.atomic
def link_ticket(
    *, ticket: Ticket, actor: User, idea: Idea | None = None, new_title: str = ""
) -> Idea:
    """Count a feature-request ticket for an existing idea, or for a new one made from it.
    Re-linking moves the ticket; its requester follows the idea."""
    require_staff(actor, "link tickets to ideas")
    if ticket.kind != Ticket.Kind.FEATURE_REQUEST:
        raise RuleViolation("not_feature_request", "Only feature-request tickets go on the board.")
    if idea is None:
        idea = create_idea(
            actor=actor,
            title=new_title or ticket.subject,
            description=ticket.description,
            product=ticket.product,
        )
    target = _lock(idea.pk)
    previous = TicketLink.objects.select_for_update().filter(ticket=ticket).first()
    if previous is None:
        TicketLink.objects.create(ticket=ticket, idea=target, linked_by=actor)
    elif previous.idea_id != target.pk:
        old = Idea.objects.select_for_update().get(pk=previous.idea_id)
        previous.idea = target
        previous.linked_by = actor
        previous.save(update_fields=["idea", "linked_by"])
        recount(old)
    _follow(target, ticket.requester)
    return recount(target)


@transaction.atomic
def merge_ideas(*, source: Idea, target: Idea, actor: User) -> Idea:
    """Fold a duplicate into another idea: votes, ticket links, followers and comments
    move; a user in both is counted once. The duplicate stays, pointing at the target."""
    require_staff(actor, "merge ideas")
    if source.pk == target.pk:
        raise RuleViolation("merge_into_itself", "An idea cannot be merged into itself.")
    locked = {
        i.pk: i
        for i in Idea.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id is not None:
        raise RuleViolation("already_merged", "This idea was already merged into another.")
    if target.merged_into_id is not None:
        raise RuleViolation("target_merged", "The target idea was itself merged; pick its target.")
    target_voters = Vote.objects.filter(idea=target).values("user_id")
    Vote.objects.filter(idea=source, user_id__in=target_voters).delete()
    Vote.objects.filter(idea=source).update(idea=target)
    target_followers = Follower.objects.filter(idea=target).values("user_id")
    Follower.objects.filter(idea=source, user_id__in=target_followers).delete()
    Follower.objects.filter(idea=source).update(idea=target)
    TicketLink.objects.filter(idea=source).update(idea=target)
    Comment.objects.filter(idea=source).update(idea=target)
    Idea.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.updated_at = timezone.now()
    source.save(update_fields=["merged_into", "updated_at"])
    recount(source)
    return recount(target)


@transaction.atomic
def set_status(*, idea: Idea, actor: User, status: str, note: str = "") -> StatusChange:
    """Move an idea along (under review → planned → in progress → shipped, or declined),
    with a public note. Followers are mailed after commit."""
    require_staff(actor, "set an idea's status")
    if status not in Idea.Status.values:
        raise InvalidInput({"status": "Choose a status from the list."})
    target = _lock(idea.pk)
    if target.status == status and target.status_note == note:
        raise RuleViolation("status_unchanged", "The idea already has this status and note.")
    change = StatusChange.objects.create(
        idea=target, old_status=target.status, new_status=status, note=note, actor=actor
    )
    target.status = status
    target.status_note = note
    target.status_changed_at = change.created_at
    target.updated_at = change.created_at
    target.save(update_fields=["status", "status_note", "status_changed_at", "updated_at"])
    transaction.on_commit(lambda: tasks.notify_followers_task(change.pk))
    return change


def refresh_trends(*, now: datetime | None = None) -> int:
    """Recount every open idea (the trend window moves with the calendar). Idempotent."""
    count = 0
    for idea_id in Idea.objects.filter(merged_into=None).values_list("pk", flat=True):
        with transaction.atomic():
            recount(Idea.objects.select_for_update().get(pk=idea_id), now=now)
        count += 1
    return count
