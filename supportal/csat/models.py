from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.tickets.models import Ticket


class SurveyAnswer(models.Model):
    """The requester's answer to "How did we do?": one per ticket."""

    class Score(models.IntegerChoices):
        VERY_UNHAPPY = 1, _("Very unhappy")
        UNHAPPY = 2, _("Unhappy")
        NEUTRAL = 3, _("Neutral")
        HAPPY = 4, _("Happy")
        VERY_HAPPY = 5, _("Very happy")

    # Scores that count as satisfied in the CSAT percentage (the usual top two of five).
    SATISFIED = (Score.HAPPY, Score.VERY_HAPPY)

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey_answer")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    comment = models.TextField(blank=True)
    # Who worked the ticket when it was answered: the ticket's assignee may change later.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["answered_at"], name="csat_answered")]
        constraints = [
            models.CheckConstraint(
                name="csat_score_1_to_5", condition=models.Q(score__gte=1, score__lte=5)
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_score_display()} on {self.ticket_id}"

    @property
    def is_satisfied(self) -> bool:
        return self.score in self.SATISFIED
