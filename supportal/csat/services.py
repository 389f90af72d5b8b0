"""The satisfaction survey: asking after resolution, recording the one answer per ticket."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.core.errors import InvalidInput
from supportal.core.links import absolute_url
from supportal.tickets.models import Ticket

from .models import SurveyAnswer
from .tokens import make_token

COMMENT_MAX = 2000


def answer_links(ticket: Ticket) -> list[tuple[int, str, str]]:
    """(score, label, absolute link) for each score, best first: one click answers."""
    token = make_token(ticket.pk)
    return [
        (
            score.value,
            str(score.label),
            absolute_url(reverse("csat:answer", args=[ticket.pk, score.value]) + f"?t={token}"),
        )
        for score in reversed(SurveyAnswer.Score)
    ]


def survey_links(ticket: Ticket) -> list[tuple[int, str, str]]:
    """The links for the mail that says a ticket is resolved: none when the survey is off,
    the requester is not a customer, or the ticket was answered already."""
    if not settings.SUPPORTAL_CSAT_SURVEY or not ticket.requester.is_customer:
        return []
    if SurveyAnswer.objects.filter(ticket=ticket).exists():
        return []
    return answer_links(ticket)


def record_answer(
    *, ticket: Ticket, score: int, comment: str = "", now: datetime | None = None
) -> tuple[SurveyAnswer, bool]:
    """The requester's answer: the first one is written (returns it and True); later ones,
    from the same signed link, change it (a corrected score, a comment added): still one
    answer per ticket. The agent is who worked the ticket at the first answer.

    Preconditions: the caller checked the signed token for this ticket. Resolved or closed
    tickets only."""
    if score not in SurveyAnswer.Score.values:
        raise InvalidInput({"score": _("Choose one of the five answers.")})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            {"comment": _("At most %(limit)s characters, please.") % {"limit": COMMENT_MAX}}
        )
    if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise InvalidInput({"score": _("The survey opens once the ticket is resolved.")})
    with transaction.atomic():
        answer, created = SurveyAnswer.objects.select_for_update().get_or_create(
            ticket=ticket,
            defaults={
                "score": score,
                "comment": comment,
                "agent_id": ticket.assignee_id,
                "answered_at": now or timezone.now(),
            },
        )
        if not created:
            answer.score = score
            answer.comment = comment
            answer.save(update_fields=["score", "comment"])
    return answer, created
