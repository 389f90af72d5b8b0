"""Macros (canned replies): text with placeholders, plus actions applied when the reply is sent.

An agent sees the shared macros and their own. ``render_macro`` fills the placeholders
for one ticket; ``reply_with_macro`` sends the (possibly edited) text and applies the
macro's actions in one transaction. Actions run in ``MACRO_ACTIONS`` order: to add one
(tags, when they exist), write a function ``(ticket, macro, actor) -> str | None`` and
append it there."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.links import absolute_url

from .models import AuditEvent, Macro, Ticket
from .services import ReplyResult, add_reply, assign_ticket, change_status, record_event

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)(?::([A-Za-z0-9_-]+))?\s*\}\}")
SIMPLE_PLACEHOLDERS = frozenset(
    {"customer_name", "customer_first_name", "ticket_number", "ticket_subject", "agent_name"}
)
ARGUMENT_PLACEHOLDERS = frozenset({"kb"})


def macros_for(user: User) -> QuerySet[Macro]:
    """The macros an agent may use: shared ones and their own. None for anyone else."""
    if not (user.is_authenticated and user.is_active and user.is_support_staff):
        return Macro.objects.none()
    return Macro.objects.filter(Q(owner__isnull=True) | Q(owner=user)).order_by("name", "id")


def get_macro_for_user(user: User, macro_id: int | str) -> Macro | None:
    try:
        return macros_for(user).filter(pk=int(macro_id)).first()
    except (TypeError, ValueError):
        return None


def can_edit_macro(user: User, macro: Macro) -> bool:
    """An agent edits their own macros; managers edit the shared ones too."""
    if not user.is_support_staff:
        return False
    return macro.owner_id == user.pk or (macro.is_shared and user.is_manager)


def unknown_placeholders(body: str) -> list[str]:
    """The placeholders in a macro's text that would not be filled (shown when saving)."""
    unknown = []
    for match in PLACEHOLDER.finditer(body):
        name, argument = match.group(1), match.group(2)
        known = (argument is None and name in SIMPLE_PLACEHOLDERS) or (
            argument is not None and name in ARGUMENT_PLACEHOLDERS
        )
        if not known:
            unknown.append(match.group(0))
    return unknown


def _kb_link(slug: str) -> str:
    try:
        return absolute_url(reverse("kb:article", args=[slug]))
    except NoReverseMatch:
        return slug


def render_macro(macro: Macro, *, ticket: Ticket, agent: User) -> str:
    """The macro's text for this ticket. Unknown placeholders are left as written."""
    requester = ticket.requester
    full_name = requester.get_full_name()
    values = {
        "customer_name": full_name,
        "customer_first_name": full_name.split()[0] if full_name.split() else full_name,
        "ticket_number": ticket.number or "",
        "ticket_subject": ticket.subject,
        "agent_name": agent.get_full_name(),
    }

    def fill(match: re.Match[str]) -> str:
        name, argument = match.group(1), match.group(2)
        if argument is None and name in values:
            return values[name]
        if name == "kb" and argument is not None:
            return _kb_link(argument)
        return match.group(0)

    return PLACEHOLDER.sub(fill, macro.body)


def check_macro(*, name: str, body: str, set_status: str, assignee_action: str,
                assignee: User | None) -> None:  # fmt: skip
    """Refuse a macro that could not be applied. Raises InvalidInput."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the macro a name.")
    if not body.strip() and not set_status and not assignee_action:
        errors["body"] = _("Write the reply text, or choose an action.")
    unknown = unknown_placeholders(body)
    if unknown:
        errors["body"] = _("Unknown placeholders: %(names)s") % {"names": ", ".join(unknown)}
    if set_status and set_status not in Ticket.Status.values:
        errors["set_status"] = _("Choose one of the statuses.")
    if assignee_action not in Macro.AssigneeAction.values:
        errors["assignee_action"] = _("Choose what happens to the assignee.")
    elif assignee_action == Macro.AssigneeAction.USER and (
        assignee is None or not assignee.is_active or not assignee.is_support_staff
    ):
        errors["assignee"] = _("Choose an active member of the support staff.")
    if errors:
        raise InvalidInput(errors)


def save_macro(
    *,
    actor: User,
    name: str,
    body: str,
    set_status: str = "",
    assignee_action: str = "",
    assignee: User | None = None,
    shared: bool = False,
    macro: Macro | None = None,
) -> Macro:
    """Create or change a macro. Agents keep personal macros; managers also shared ones."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff keep macros.")
    if shared and not actor.is_manager:
        raise NotPermitted("Only managers share macros with every agent.")
    if macro is not None and not can_edit_macro(actor, macro):
        raise NotPermitted("You may not change this macro.")
    check_macro(
        name=name,
        body=body,
        set_status=set_status,
        assignee_action=assignee_action,
        assignee=assignee,
    )
    macro = macro or Macro()
    macro.name = name.strip()[:100]
    macro.body = body
    macro.set_status = set_status
    macro.assignee_action = assignee_action
    macro.assignee = assignee if assignee_action == Macro.AssigneeAction.USER else None
    macro.owner = None if shared else actor
    macro.save()
    return macro


def delete_macro(*, actor: User, macro: Macro) -> None:
    if not can_edit_macro(actor, macro):
        raise NotPermitted("You may not delete this macro.")
    macro.delete()


# --- Actions ---------------------------------------------------------------------------


def _status_action(ticket: Ticket, macro: Macro, actor: User) -> str | None:
    if not macro.set_status:
        return None
    ticket.refresh_from_db(fields=["status"])
    if ticket.status == macro.set_status:
        return None
    change_status(ticket=ticket, actor=actor, status=macro.set_status)
    return f"status: {macro.set_status}"


def _assignee_action(ticket: Ticket, macro: Macro, actor: User) -> str | None:
    action = macro.assignee_action
    if not action:
        return None
    if action == Macro.AssigneeAction.ME:
        assignee_id: int | None = actor.pk
    elif action == Macro.AssigneeAction.NOBODY:
        assignee_id = None
    else:
        assignee_id = macro.assignee_id
        if assignee_id is None:
            raise RuleViolation("macro_broken", _("The macro's colleague no longer exists."))
    assign_ticket(ticket=ticket, actor=actor, assignee_id=assignee_id)
    return f"assignee: {assignee_id}"


MacroAction = Callable[[Ticket, Macro, User], "str | None"]
# In order. Tags (when the tag helper lands): add a _tag_action here.
MACRO_ACTIONS: list[MacroAction] = [_status_action, _assignee_action]


def apply_macro_actions(*, ticket: Ticket, macro: Macro, actor: User) -> list[str]:
    """Apply the macro's actions to the ticket (each through its own service, so each is
    audited as usual), and record that the macro was applied. Returns what was done."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff apply macros.")
    with transaction.atomic():
        done = [step for action in MACRO_ACTIONS if (step := action(ticket, macro, actor))]
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.MACRO_APPLIED,
            data={"macro_id": macro.pk, "name": macro.name, "done": done},
        )
    return done


@dataclass(frozen=True)
class MacroReply:
    reply: ReplyResult | None
    done: list[str]


def reply_with_macro(
    *,
    ticket: Ticket,
    macro: Macro,
    actor: User,
    body: str,
    internal: bool = False,
    uploads: Sequence[UploadedFile] = (),
    seen_reply_id: int | None = None,
) -> MacroReply:
    """Send the reply (the macro's text as the agent left it; none if empty and the macro
    has only actions) and then apply the macro's actions, all or nothing. A reply that
    crosses a newer one is refused as in ``add_reply`` (``seen_reply_id``)."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff apply macros.")
    with transaction.atomic():
        result = None
        if body.strip():
            result = add_reply(
                ticket=ticket,
                author=actor,
                body=body,
                internal=internal,
                uploads=uploads,
                seen_reply_id=seen_reply_id,
            )
        elif not (macro.set_status or macro.assignee_action):
            raise InvalidInput({"body": _("Write a reply before sending.")})
        done = apply_macro_actions(ticket=ticket, macro=macro, actor=actor)
    return MacroReply(reply=result, done=done)
