"""The agent's workspace over the API: custom fields, merge and split, links, macros.

The ticket object's fields are fixed by the contract (API.md), so a ticket's custom
fields and links have endpoints of their own. Visibility → 404, role → 403, as elsewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from supportal.accounts.models import Product, User
from supportal.tickets import custom_fields, macros, merge
from supportal.tickets.access import (
    can_see_internal_notes,
    can_work_tickets,
    get_ticket_for_user,
    tickets_visible_to,
)
from supportal.tickets.models import CustomField, Macro, Reply, Ticket

from .schemas import ErrorOut, RuleErrorOut, TicketOut, TicketStatus, ValidationErrorOut
from .security import caller

router = Router(tags=["workspace"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: RuleErrorOut, 422: ValidationErrorOut}


def _require_staff(user: User, action: str) -> None:
    if not can_work_tickets(user):
        raise HttpError(403, f"Only support staff {action}.")


# --- Custom fields ---------------------------------------------------------------------


class FieldDefinitionOut(Schema):
    key: str
    label: str
    kind: str = Field(description="text, number, choice or date.")
    choices: list[str] = Field(description="The options of a choice field.")
    required: bool = Field(description="Required when a customer files a ticket.")
    staff_only: bool
    products: list[str] = Field(description="Product slugs; empty: every product.")
    help_text: str

    @staticmethod
    def resolve_choices(field: CustomField) -> list[str]:
        return field.choice_list()

    @staticmethod
    def resolve_products(field: CustomField) -> list[str]:
        return sorted(p.slug for p in field.products.all())


class FieldDefinitionListOut(Schema):
    items: list[FieldDefinitionOut]


class FieldValueOut(Schema):
    key: str
    label: str
    kind: str
    value: str = Field(description="Canonical text: numbers as 1.5, dates as YYYY-MM-DD.")


class TicketFieldsOut(Schema):
    ticket_id: int
    items: list[FieldValueOut]


class TicketFieldsIn(Schema):
    values: dict[str, str] = Field(
        description='By field key; "" clears a field. Fields not named are left as they are.'
    )


@router.get(
    "/fields",
    response={200: FieldDefinitionListOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="The custom fields tickets ask (for one product with ?product=)",
)
def list_fields(request: HttpRequest, product: str | None = None) -> dict[str, Any]:
    user = caller(request)
    staff = user.is_staff_or_auditor
    if product:
        found = Product.objects.filter(slug=product).first()
        fields = custom_fields.fields_for(found, staff=staff) if found else []
    else:
        qs = CustomField.objects.filter(active=True)
        fields = list(qs if staff else qs.filter(staff_only=False))
    return {"items": fields}


def _fields_out(user: User, ticket: Ticket) -> dict[str, Any]:
    staff = user.is_staff_or_auditor
    items = [
        {"key": f.key, "label": f.label, "kind": f.kind, "value": value}
        for f, value in custom_fields.values_for(ticket, staff=staff)
    ]
    return {"ticket_id": ticket.pk, "items": items}


@router.get(
    "/tickets/{ticket_id}/fields",
    response={200: TicketFieldsOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A ticket's custom field values (staff-only fields for staff only)",
)
def get_ticket_fields(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    user = caller(request)
    return _fields_out(user, get_ticket_for_user(user, ticket_id))


@router.post(
    "/tickets/{ticket_id}/fields",
    response={200: TicketFieldsOut, **ERRORS},
    summary="Change a ticket's custom field values (staff; audited)",
)
def set_ticket_fields(
    request: HttpRequest, ticket_id: int, payload: TicketFieldsIn
) -> dict[str, Any]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    _require_staff(user, "change a ticket's fields")
    custom_fields.set_field_values(ticket=ticket, actor=user, values=payload.values)
    return _fields_out(user, ticket)


# --- Merge, split, links ---------------------------------------------------------------


class MergeIn(Schema):
    into: int = Field(description="The id of the ticket to keep.")


class SplitIn(Schema):
    subject: str = Field("", max_length=200, description="Default: 'Split from <number>: …'.")


class TicketLinksOut(Schema):
    ticket_id: int
    merged_into: int | None = Field(description="The ticket this one was merged into.")
    merged_from: list[int] = Field(description="Tickets merged into this one.")
    split_from: int | None = Field(description="The ticket whose reply became this one.")
    split_off: list[int] = Field(description="Tickets split off this one's replies.")
    follow_up_of: int | None


@router.post(
    "/tickets/{ticket_id}/merge",
    response={200: TicketOut, **ERRORS},
    summary="Merge this duplicate into another ticket of the same organization (staff); "
    "answers the kept ticket",
)
def merge_ticket(request: HttpRequest, ticket_id: int, payload: MergeIn) -> Ticket:
    user = caller(request)
    source = get_ticket_for_user(user, ticket_id)
    target = get_ticket_for_user(user, payload.into)  # one the caller cannot see: 404
    _require_staff(user, "merge tickets")
    merge.merge_tickets(source=source, target=target, actor=user)
    return get_ticket_for_user(user, target.pk)


@router.post(
    "/tickets/{ticket_id}/replies/{reply_id}/split",
    response={201: TicketOut, **ERRORS},
    summary="Make a customer's reply that asks another question into a new linked ticket (staff)",
)
def split_reply(
    request: HttpRequest, ticket_id: int, reply_id: int, payload: SplitIn
) -> Status[Ticket]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    _require_staff(user, "split tickets")
    replies = Reply.objects.filter(ticket=ticket, pk=reply_id)
    if not can_see_internal_notes(user):
        replies = replies.filter(internal=False)
    reply = replies.first()
    if reply is None:
        raise HttpError(404, "No such reply")
    result = merge.split_reply(reply=reply, actor=user, subject=payload.subject)
    return Status(201, get_ticket_for_user(user, result.ticket.pk))


@router.get(
    "/tickets/{ticket_id}/links",
    response={200: TicketLinksOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="The tickets this one is linked to by merge, split or follow-up (as far as "
    "the caller may see them)",
)
def ticket_links(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    links = merge.links_visible_to(user, ticket)
    follow_up_of = None
    if ticket.follow_up_of_id is not None:
        follow_up_of = (
            tickets_visible_to(user)
            .filter(pk=ticket.follow_up_of_id)
            .values_list("pk", flat=True)
            .first()
        )
    return {
        "ticket_id": ticket.pk,
        "merged_into": links.merged_into.pk if links.merged_into else None,
        "merged_from": [t.pk for t in links.merged_from],
        "split_from": links.split_from.pk if links.split_from else None,
        "split_off": [t.pk for t in links.split_off],
        "follow_up_of": follow_up_of,
    }


# --- Macros ----------------------------------------------------------------------------


class MacroOut(Schema):
    id: int
    name: str
    body: str = Field(description="With placeholders, e.g. {{ customer_name }}.")
    shared: bool
    set_status: str = Field(description='Status to set when applied; "" leaves it.')
    assignee_action: str = Field(description='"", "me", "nobody" or "user".')
    assignee_id: int | None

    @staticmethod
    def resolve_shared(macro: Macro) -> bool:
        return macro.is_shared


class MacroListOut(Schema):
    items: list[MacroOut]


class MacroIn(Schema):
    name: str = Field(max_length=100)
    body: str = ""
    set_status: TicketStatus | None = None
    assignee_action: str = Field("", description='"", "me", "nobody" or "user".')
    assignee_id: int | None = None
    shared: bool = Field(False, description="Managers only: every agent sees it.")


class MacroTextOut(Schema):
    id: int
    name: str
    body: str = Field(description="The text with this ticket's placeholders filled in.")


class ApplyMacroIn(Schema):
    body: str | None = Field(
        None, description="The reply to send; null sends the macro's text as filled in."
    )
    internal: bool = False


class ApplyMacroOut(Schema):
    reply_id: int | None = Field(description="The reply sent, or null for actions only.")
    done: list[str] = Field(description="The actions that changed something.")
    ticket: TicketOut


def _macro(user: User, macro_id: int) -> Macro:
    found = macros.get_macro_for_user(user, macro_id)
    if found is None:
        raise HttpError(404, "No such macro")
    return found


@router.get(
    "/macros",
    response={200: MacroListOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="The macros the caller may use: shared ones and their own (staff)",
)
def list_macros(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    _require_staff(user, "use macros")
    return {"items": list(macros.macros_for(user))}


@router.post(
    "/macros",
    response={201: MacroOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Create a personal macro, or a shared one (managers)",
)
def create_macro(request: HttpRequest, payload: MacroIn) -> Status[Macro]:
    user = caller(request)
    _require_staff(user, "keep macros")
    assignee = None
    if payload.assignee_id is not None:
        assignee = User.objects.filter(pk=payload.assignee_id).first()
    macro = macros.save_macro(
        actor=user,
        name=payload.name,
        body=payload.body,
        set_status=payload.set_status or "",
        assignee_action=payload.assignee_action,
        assignee=assignee,
        shared=payload.shared,
    )
    return Status(201, macro)


@router.get(
    "/tickets/{ticket_id}/macros/{macro_id}",
    response={200: MacroTextOut, **{k: v for k, v in ERRORS.items() if k != 409}},
    summary="A macro's text filled in for this ticket (staff)",
)
def macro_text(request: HttpRequest, ticket_id: int, macro_id: int) -> dict[str, Any]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    _require_staff(user, "use macros")
    macro = _macro(user, macro_id)
    return {
        "id": macro.pk,
        "name": macro.name,
        "body": macros.render_macro(macro, ticket=ticket, agent=user),
    }


@router.post(
    "/tickets/{ticket_id}/macros/{macro_id}/apply",
    response={200: ApplyMacroOut, **ERRORS},
    summary="Send a macro's reply and apply its actions, all or nothing (staff)",
)
def apply_macro(
    request: HttpRequest, ticket_id: int, macro_id: int, payload: ApplyMacroIn
) -> dict[str, Any]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    _require_staff(user, "use macros")
    macro = _macro(user, macro_id)
    body = payload.body
    if body is None:
        body = macros.render_macro(macro, ticket=ticket, agent=user)
    applied = macros.reply_with_macro(
        ticket=ticket, macro=macro, actor=user, body=body, internal=payload.internal
    )
    return {
        "reply_id": applied.reply.reply.pk if applied.reply else None,
        "done": applied.done,
        "ticket": get_ticket_for_user(user, ticket.pk),
    }
