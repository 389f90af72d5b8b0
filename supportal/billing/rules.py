"""The rules of support vs professional services, as pure functions. No ORM.

``services.log_time`` gathers the facts of a ticket into a ``TicketFacts`` and asks
``check_time_entry`` whether the work may be recorded, and on what consent."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from supportal.core.errors import RuleViolation

PS_KINDS = frozenset({"professional_services", "training_request"})


def professional_services_reason(*, kind: str) -> str:
    """Why a new ticket is professional services from its first minute ("" when it is not):
    the customer filed it as professional services or as a training request."""
    if kind in PS_KINDS:
        return f"filed as {kind.replace('_', ' ')}"
    return ""


@dataclass(frozen=True)
class Suggestion:
    """A category to suggest to the agent, and the words that suggest it."""

    category: str
    reason: str


def suggest_category(*, text: str, keywords: list[str], technical: list[str]) -> Suggestion | None:
    """The professional-services category to suggest when a ticket names an area where the
    policy says the 15 free minutes are most often exceeded (pricing calculators, template
    setup, API work, custom skinning, DNS the customer manages).

    Only a suggestion: the ticket keeps its free minutes, and billable work still needs the
    customer's consent. Words of ``technical`` suggest the technical rate (database, APIs,
    custom skinning), the others the admin-level rate. Whole words only: "rapid" is not
    "api"."""
    lowered = text.lower()
    technical_words = {word.strip().lower() for word in technical}
    for keyword in keywords:
        word = keyword.strip().lower()
        if word and re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", lowered):
            category = "ps_technical" if word in technical_words else "ps_admin"
            return Suggestion(category=category, reason=f"mentions {word}")
    return None


@dataclass(frozen=True)
class CategoryFacts:
    code: str
    billable: bool
    fixed_fee: bool

    @property
    def allows_exception(self) -> bool:
        """Custom CSS/JS: the policy's one case where work may start before consent."""
        return self.code == "custom_code"


@dataclass(frozen=True)
class TicketFacts:
    """What the rule needs to know about a ticket, read under its lock."""

    confirmed_bug: bool
    support_minutes_used: int
    allowance_minutes: int
    accepted_minutes: int
    """Minutes of this category in accepted notices and quotes (the ceiling)."""
    billed_minutes_so_far: int
    """Billed minutes of this category already on the ticket."""
    has_accepted_notice: bool
    has_custom_code_exception: bool
    allowance_scope: str = "on this ticket"
    """Where the free minutes are counted, for the refusal: "on this ticket", or e.g.
    "for Acme Print today"."""


class Consent(StrEnum):
    NONE_NEEDED = "none_needed"  # free support
    NOTICE = "notice"  # an accepted notice or quote
    EXCEPTION = "exception"  # the manager's recorded CSS/JS exception


def check_time_entry(
    *, category: CategoryFacts, facts: TicketFacts, minutes: int, billed: int
) -> Consent:
    """May this work be recorded? Returns the consent it rests on or raises RuleViolation.

    - Free support accumulates up to the allowance (more on a confirmed bug: never charged).
    - Billable work needs an accepted notice or quote of its category (for custom CSS/JS,
      a manager's recorded exception will do), stays within the accepted estimate (or, on
      the exception, is billed by the hour as worked), and is refused on a confirmed bug,
      where nothing is ever charged."""
    if not category.billable:
        if facts.confirmed_bug:
            return Consent.NONE_NEEDED
        if facts.support_minutes_used + minutes > facts.allowance_minutes:
            left = max(0, facts.allowance_minutes - facts.support_minutes_used)
            raise RuleViolation(
                "support_allowance_reached",
                _(
                    "Free support %(scope)s is %(allowance)s minutes and %(used)s are used "
                    "(%(left)s left). Send the customer a professional-services notice, mark "
                    "the ticket a confirmed bug, or ask a manager to extend free support."
                )
                % {
                    "scope": facts.allowance_scope,
                    "allowance": facts.allowance_minutes,
                    "used": facts.support_minutes_used,
                    "left": left,
                },
            )
        return Consent.NONE_NEEDED
    if facts.confirmed_bug:
        raise RuleViolation(
            "confirmed_bug",
            _("This ticket is a confirmed bug: nothing on it is charged. Log the time as support."),
        )
    if category.allows_exception and facts.has_custom_code_exception:
        return Consent.EXCEPTION
    if not facts.has_accepted_notice:
        raise RuleViolation(
            "consent_required",
            _(
                "Billable time needs the customer's consent first: send a professional-services "
                "notice with an estimate and wait until they accept it."
            ),
        )
    if category.fixed_fee:
        return Consent.NOTICE
    if facts.billed_minutes_so_far + billed > facts.accepted_minutes:
        raise RuleViolation(
            "quote_exceeded",
            _(
                "The customer accepted %(accepted)s minutes of this work and %(billed)s are "
                "billed; this entry would bill %(more)s more. Send a new estimate first."
            )
            % {
                "accepted": facts.accepted_minutes,
                "billed": facts.billed_minutes_so_far,
                "more": billed,
            },
        )
    return Consent.NOTICE


def allowance_minutes(*, base: int, professional_services: bool, extensions: int) -> int:
    """Free minutes on a ticket: none when it is professional services from the start."""
    return (0 if professional_services else base) + extensions


def rate_in_range(*, rate: Decimal, low: Decimal, high: Decimal | None) -> bool:
    return low <= rate <= (high if high is not None else low)


@dataclass(frozen=True)
class Charge:
    """Something billable, as the statement sees it."""

    source: str  # "time" or "rush"
    source_id: int
    date: datetime.date
    ticket_id: int | None
    ticket_number: str
    description: str
    category: str
    minutes: int
    rate: Decimal | None
    amount: Decimal
    expert_minutes: int
    waived: bool
    """The ticket is a confirmed bug."""
    on_finalised_statement: bool
    """Already charged on a finalised statement."""
    credited: bool
    """A credit for its waiver is already on a finalised statement."""


@dataclass(frozen=True)
class Line:
    kind: str  # charge, rush, waiver, credit
    date: datetime.date
    ticket_id: int | None
    ticket_number: str
    description: str
    category: str
    minutes: int
    rate: Decimal | None
    amount: Decimal
    expert_minutes: int
    source: str = ""
    source_id: int | None = None


def statement_lines(
    charges: list[Charge], corrections: list[tuple[int, datetime.date, str, Decimal]]
) -> list[Line]:
    """The lines of the next statement.

    New charges appear with their amount; on a confirmed bug a waiver line cancels them
    (and gives back the expert hours). Charges already on a finalised statement whose
    ticket later became a confirmed bug get a credit line, once. Corrections
    ``(id, date, reason, amount)`` are credits."""
    lines: list[Line] = []
    for c in sorted(charges, key=lambda c: (c.date, c.source_id)):
        common: dict[str, Any] = dict(
            date=c.date,
            ticket_id=c.ticket_id,
            ticket_number=c.ticket_number,
            category=c.category,
            rate=c.rate,
            source=c.source,
            source_id=c.source_id,
        )
        if not c.on_finalised_statement:
            kind = "rush" if c.source == "rush" else "charge"
            lines.append(
                Line(
                    kind=kind,
                    description=c.description,
                    minutes=c.minutes,
                    amount=c.amount,
                    expert_minutes=c.expert_minutes,
                    **common,
                )
            )
            if c.waived:
                lines.append(
                    Line(
                        kind="waiver",
                        description=f"Waived, confirmed bug: {c.description}",
                        minutes=-c.minutes,
                        amount=-c.amount,
                        expert_minutes=-c.expert_minutes,
                        **common,
                    )
                )
        elif c.waived and not c.credited:
            lines.append(
                Line(
                    kind="credit",
                    description=f"Credit, confirmed bug: {c.description}",
                    minutes=-c.minutes,
                    amount=-c.amount,
                    expert_minutes=-c.expert_minutes,
                    **common,
                )
            )
    for correction_id, day, reason, amount in corrections:
        lines.append(
            Line(
                kind="credit",
                date=day,
                ticket_id=None,
                ticket_number="",
                description=f"Credit: {reason}",
                category="",
                minutes=0,
                rate=None,
                amount=-amount,
                expert_minutes=0,
                source="correction",
                source_id=correction_id,
            )
        )
    return lines
