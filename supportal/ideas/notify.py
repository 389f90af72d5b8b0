"""Mail to an idea's followers when its status changes."""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url

from .models import Follower, StatusChange


def _message(change: StatusChange, *, to: str) -> EmailMessage:
    idea = change.idea
    status = change.get_new_status_display()
    link = absolute_url(idea.get_absolute_url())
    body = _("The idea “%(title)s” is now: %(status)s.") % {"title": idea.title, "status": status}
    body += "\n\n"
    if change.note:
        body += f"{change.note}\n\n"
    body += _("See it on the ideas board: %(link)s") % {"link": link}
    body += "\n\n" + _("You follow this idea; unfollow it there.")
    subject = _("[Ideas] %(status)s: %(title)s") % {"status": status, "title": idea.title}
    return EmailMessage(subject=subject, body=body, to=[to])


def notify_followers(change_id: int) -> int:
    """Mail every follower (but the person who made the change) once per status change."""
    if not StatusChange.objects.filter(pk=change_id, notified_at=None).update(
        notified_at=timezone.now()
    ):
        return 0
    change = StatusChange.objects.select_related("idea").get(pk=change_id)
    followers = (
        Follower.objects.filter(idea=change.idea, user__is_active=True)
        .exclude(user_id=change.actor_id)  # type: ignore[misc]  # None: excludes no one
        .select_related("user__support_region", "user__organization__support_region")
    )
    messages = []
    for follower in followers:
        with speaking_to(follower.user):  # each follower reads it in their own language
            messages.append(_message(change, to=follower.user.email))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        StatusChange.objects.filter(pk=change_id).update(notified_at=None)
        raise
