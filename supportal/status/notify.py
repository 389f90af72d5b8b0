"""Mail to incident subscribers, with one-click unsubscribe headers (RFC 8058)."""

from __future__ import annotations

from django.core.mail import get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url

from .models import Incident, IncidentSubscriber, IncidentUpdate
from .subscriptions import SUBSCRIPTIONS


def _subject(update: IncidentUpdate, incident: Incident) -> str:
    status, name = update.get_status_display().lower(), incident.name
    if incident.kind == Incident.Kind.MAINTENANCE:
        return _("[Status] Maintenance %(status)s: %(name)s") % {"status": status, "name": name}
    return _("[Status] Incident %(status)s: %(name)s") % {"status": status, "name": name}


def notify_subscribers(update_id: int) -> int:
    """Mail confirmed subscribers one incident update, once (claimed by ``notified_at``)."""
    if not IncidentUpdate.objects.filter(pk=update_id, notified_at=None).update(
        notified_at=timezone.now()
    ):
        return 0
    update = IncidentUpdate.objects.select_related("incident").get(pk=update_id)
    incident = update.incident
    page = absolute_url(incident.get_absolute_url())
    messages = []
    for sub in IncidentSubscriber.objects.filter(unsubscribed_at=None):
        with speaking_to(None, language=sub.language):  # the subscriber's language
            messages.append(
                SUBSCRIPTIONS.message(
                    to=sub.email,
                    token=sub.token,
                    subject=_subject(update, incident),
                    body=f"{update.body}\n\n{page}",
                )
            )
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        # Give the claim back so the task's retry sends it again.
        IncidentUpdate.objects.filter(pk=update_id).update(notified_at=None)
        raise
