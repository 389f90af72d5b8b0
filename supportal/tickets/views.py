"""Portal and agent console pages. Each view: authorise → parse → service or query → render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.accounts.queries import upcoming_training_sessions
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation, add_errors
from supportal.core.uploads import upload_refusals
from supportal.core.views import file_download

from . import custom_fields, macros, services, tags
from .access import (
    can_file_tickets,
    can_read_as_staff,
    can_work_tickets,
    get_attachment_for_user,
    get_ticket_for_user,
    replies_visible_to,
    tickets_visible_to,
)
from .bulk import ACTIONS as BULK_ACTIONS
from .forms import (
    AssignForm,
    DowngradeForm,
    EngineeringForm,
    MergeForm,
    QueueFilterForm,
    RaiseUrgencyForm,
    ReplyForm,
    SplitForm,
    StatusForm,
    TagForm,
    TicketFieldsForm,
    TicketForm,
    TicketListFilterForm,
    valid_filters,
)
from .merge import links_visible_to
from .models import Ticket
from .queries import (
    TicketFilters,
    audit_trail,
    queue_page,
    related_tickets,
    ticket_attachments,
    ticket_page,
)

# --- Lists -----------------------------------------------------------------------------


@login_required
@require_GET
def ticket_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A customer's own tickets, a customer admin's organization, or every ticket for staff."""
    user = request.user
    form = TicketListFilterForm(request.GET, user=user)
    chosen = valid_filters(form)
    is_customer_admin = user.role == User.Role.CUSTOMER_ADMIN
    scope = chosen.get("scope", "all") if is_customer_admin else None
    filters = TicketFilters(
        status=chosen.get("status"),
        product=chosen.get("product"),
        mine=scope == "mine",
        escalated=chosen.get("escalated") == "1",
    )
    page = ticket_page(user, filters, request.GET.get("cursor"))
    if user.is_staff_or_auditor:
        heading = _("All tickets")
    elif scope == "all" and user.organization is not None:
        heading = _("%(organization)s tickets") % {"organization": user.organization.name}
    else:
        heading = _("My tickets")
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "page": page,
            "filter_form": form,
            "scope": scope,
            "heading": heading,
            "show_requester": user.is_staff_or_auditor or scope == "all",
            "can_file": can_file_tickets(user),
        },
    )


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The agent queue: open tickets, urgent first, then first in, first out."""
    user = request.user
    if not can_read_as_staff(user):
        raise Http404("No such page")
    form = QueueFilterForm(request.GET)
    chosen = valid_filters(form)
    filters = TicketFilters(
        status=chosen.get("status"),
        product=chosen.get("product"),
        region=chosen.get("region"),
        assignee=chosen.get("assignee"),
        escalated=chosen.get("escalated") == "1",
    )
    page = queue_page(user, filters, request.GET.get("cursor"))
    return render(
        request,
        "tickets/queue.html",
        {
            "page": page,
            "filter_form": form,
            "bulk_actions": list(BULK_ACTIONS.values()) if can_work_tickets(user) else [],
        },
    )


# --- Filing ----------------------------------------------------------------------------


@sensitive_post_parameters(*services.SECRET_FIELDS)  # hidden from error reports
@login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portal form: the main way a customer asks for support."""
    user = request.user
    if not can_file_tickets(user):
        raise PermissionDenied("Only customers file tickets.")
    files_dropped = False
    if request.method != "POST":
        form = TicketForm(user=user)
    else:
        form = TicketForm(request.POST, request.FILES, user=user)
        for refusal in upload_refusals(request):  # files dropped while the body was read
            form.add_error("attachments", refusal)
        if form.is_valid():
            try:
                ticket = services.open_ticket(
                    requester=user,
                    draft=form.to_draft(),
                    channel=Ticket.Channel.PORTAL,
                    uploads=form.uploads(),
                )
            except InvalidInput as exc:
                add_errors(form, exc.errors)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Ticket %(number)s received") % {"number": ticket.number}
                )
                return redirect(ticket)
        files_dropped = bool(request.FILES) or bool(upload_refusals(request))
    untrained = services.untrained_products(user)
    return render(
        request,
        "tickets/ticket_form.html",
        {
            "form": form,
            "blocked": settings.SUPPORTAL_TRAINING_REQUIREMENT == "block",
            "untrained_products": untrained,
            "untrained_product_names": ", ".join(product.name for product in untrained),
            "training_sessions": upcoming_training_sessions(user.organization, products=untrained)
            if untrained
            else [],
            "files_dropped": files_dropped,
        },
    )


# --- One ticket ------------------------------------------------------------------------


def _blank_reply_form(user: User, ticket: Ticket, macro_id: str | None = None) -> ReplyForm:
    """A closed ticket takes only internal notes from staff, so the box starts ticked.
    With ``macro_id`` (the reply box's "Insert" without JavaScript) the box holds the
    macro's text for this ticket, and sending applies its actions."""
    works = can_work_tickets(user)
    initial: dict[str, Any] = {
        "internal": works and ticket.is_closed,
        "seen_reply_id": services.newest_public_reply_id(ticket),
    }
    macro = macros.get_macro_for_user(user, macro_id) if works and macro_id else None
    if macro is not None:
        initial.update(body=macros.render_macro(macro, ticket=ticket, agent=user), macro=macro.pk)
    return ReplyForm(can_add_notes=works, initial=initial)


def _crossed_reply_form(
    request: AuthenticatedHttpRequest, ticket: Ticket, message: str
) -> ReplyForm:
    """The form as it was sent, text and all, now carrying the reply that crossed it: the
    page shows that reply above, and sending again sends this one after it."""
    data = request.POST.copy()
    data["seen_reply_id"] = str(services.newest_public_reply_id(ticket))
    form = ReplyForm(data, can_add_notes=can_work_tickets(request.user))
    form.is_valid()
    form.add_error(None, message)
    return form


def _detail_context(
    request: AuthenticatedHttpRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    credentials: dict[str, str] | None = None,
) -> dict[str, Any]:
    user = request.user
    works = can_work_tickets(user)
    replies = replies_visible_to(user, ticket)
    context: dict[str, Any] = {
        "ticket": ticket,
        "replies": replies,
        "attachments": ticket_attachments(ticket),
        "related": related_tickets(user, ticket),
        "reply_form": reply_form
        or _blank_reply_form(user, ticket, request.GET.get("macro") if works else None),
        "can_work": works,
        "credentials": credentials,
        "field_values": custom_fields.values_for(ticket, staff=user.is_staff_or_auditor),
        "links": links_visible_to(user, ticket),
    }
    if works:
        customer_replies = [r for r in replies if not r.internal and r.author.is_customer]
        context.update(
            macros=list(macros.macros_for(user)),
            fields_form=TicketFieldsForm(ticket=ticket),
            merge_form=MergeForm() if not ticket.is_merged else None,
            split_form=SplitForm(replies=customer_replies) if customer_replies else None,
        )
    if works:
        context.update(
            status_form=StatusForm(ticket=ticket),
            assign_form=AssignForm(ticket=ticket),
            downgrade_form=DowngradeForm() if ticket.urgent else None,
            raise_urgency_form=(
                RaiseUrgencyForm() if not ticket.urgent and not ticket.is_closed else None
            ),
            engineering_form=EngineeringForm() if not ticket.is_closed else None,
            audit_events=audit_trail(ticket),
            tags=tags.tags_of(ticket),
            tag_form=TagForm(),
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """The ticket and its conversation; POST adds a reply (htmx swaps the conversation)."""
    user = request.user
    ticket = get_ticket_for_user(user, ticket_id)
    template = "tickets/ticket_detail.html"
    if ticket.merged_into_id is not None:
        # A merged duplicate leads to the ticket it was merged into, for whoever could see
        # it (merge.check_merge made sure its requester sees the target).
        target = tickets_visible_to(user).filter(pk=ticket.merged_into_id).first()
        if target is not None:
            messages.info(request, f"{ticket.number} was merged into {target.number}")
            if request.method == "GET":
                return redirect(target)
            ticket = target  # a reply sent from a stale page of the duplicate goes on
    if request.method == "GET":
        return render(request, template, _detail_context(request, ticket))

    form = ReplyForm(request.POST, request.FILES, can_add_notes=can_work_tickets(user))
    for refusal in upload_refusals(request):  # files dropped while the body was read
        form.add_error("attachments", refusal)
    macro = None
    if form.is_valid() and form.cleaned_data.get("macro"):
        macro = macros.get_macro_for_user(user, form.cleaned_data["macro"])
        if macro is None:
            form.add_error(None, _("That macro is not one of yours or shared."))
    if form.is_valid():
        follow_up = None
        try:
            if macro is not None:
                applied = macros.reply_with_macro(
                    ticket=ticket,
                    macro=macro,
                    actor=user,
                    body=form.cleaned_data["body"] or "",
                    internal=form.is_internal(),
                    uploads=form.uploads(),
                    seen_reply_id=form.cleaned_data.get("seen_reply_id"),
                )
            else:
                follow_up = services.add_reply(
                    ticket=ticket,
                    author=user,
                    body=form.cleaned_data["body"],
                    internal=form.is_internal(),
                    uploads=form.uploads(),
                    seen_reply_id=form.cleaned_data.get("seen_reply_id"),
                ).follow_up
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except RuleViolation as exc:
            if exc.code == "crossed_reply":
                form = _crossed_reply_form(request, ticket, exc.message)
            else:
                form.add_error(None, exc.message)
        except NotPermitted as exc:
            form.add_error(None, exc.message)
        else:
            if follow_up is not None:
                messages.info(
                    request,
                    _("This ticket was closed, so your message opened a new ticket %(number)s")
                    % {"number": follow_up.number},
                )
                url = follow_up.get_absolute_url()
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            if macro is not None:
                # The macro's actions change the side panel too: reload the whole page.
                done = (
                    _("Macro “%(name)s” applied (%(done)s)")
                    % {"name": macro.name, "done": ", ".join(applied.done)}
                    if applied.done
                    else _("Macro “%(name)s” applied") % {"name": macro.name}
                )
                messages.success(request, done)
                url = ticket.get_absolute_url()
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            if not request.htmx or ticket.pk != ticket_id:
                messages.success(
                    request, _("Reply sent") if not form.is_internal() else _("Note added")
                )
                url = ticket.get_absolute_url()
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            ticket.refresh_from_db()
            form = _blank_reply_form(user, ticket)
    if request.htmx:
        template += "#conversation"
    return render(request, template, _detail_context(request, ticket, reply_form=form))


@login_required
@require_POST
@staff_only
def ticket_status(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, ticket_id)

    def act(data: dict[str, Any]) -> str:
        changed = services.change_status(ticket=ticket, actor=request.user, status=data["status"])
        return _("Status is now %(status)s") % {"status": changed.get_status_display().lower()}

    form = StatusForm(request.POST, ticket=ticket)
    return _staff_action(request, ticket, form, _("Choose one of the statuses offered."), act)


@login_required
@require_POST
@staff_only
def ticket_assign(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, ticket_id)

    def act(data: dict[str, Any]) -> str:
        assigned = services.assign_ticket(
            ticket=ticket, actor=request.user, assignee_id=data["assignee_id"]
        )
        if assigned.assignee is None:
            return _("Assigned to nobody")
        return _("Assigned to %(name)s") % {"name": assigned.assignee.get_full_name()}

    form = AssignForm(request.POST, ticket=ticket)
    return _staff_action(
        request, ticket, form, _("Assign to an active member of the support staff."), act
    )


@login_required
@require_POST
@staff_only
def ticket_downgrade(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff take the urgent flag off, with a note the customer sees."""
    ticket = get_ticket_for_user(request.user, ticket_id)

    def act(data: dict[str, Any]) -> str:
        services.downgrade_urgency(ticket=ticket, actor=request.user, note=data["note"])
        return _("Urgency removed; the customer sees your note.")

    form = DowngradeForm(request.POST)
    return _staff_action(request, ticket, form, _("Say why the ticket is not urgent."), act)


@login_required
@require_POST
@staff_only
def ticket_raise_urgency(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff mark a ticket urgent, with a reason and a note the customer sees."""
    ticket = get_ticket_for_user(request.user, ticket_id)

    def act(data: dict[str, Any]) -> str:
        services.raise_urgency(
            ticket=ticket, actor=request.user, reason=data["reason"], note=data["note"]
        )
        return _("Marked urgent; the customer sees your note.")

    form = RaiseUrgencyForm(request.POST)
    return _staff_action(request, ticket, form, _("Say why the ticket is urgent."), act)


@login_required
@require_POST
@staff_only
def ticket_engineering(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff escalate a ticket to the programming staff, or bring it back."""
    ticket = get_ticket_for_user(request.user, ticket_id)

    def act(data: dict[str, Any]) -> str:
        if data["escalate"]:
            services.escalate_to_engineering(ticket=ticket, actor=request.user, note=data["note"])
            return _("Escalated to engineering; the customer sees that it will take longer.")
        services.return_from_engineering(ticket=ticket, actor=request.user)
        return _("Back from engineering.")

    form = EngineeringForm(request.POST)
    return _staff_action(request, ticket, form, _("Choose to escalate or to bring back."), act)


def _staff_action(
    request: HttpRequest,
    ticket: Ticket,
    form: forms.Form,
    invalid: str,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A staff button on the ticket page: check the form, run the service, say what
    happened (or why not) and go back to the ticket."""
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(ticket)
    try:
        done = act(form.cleaned_data)
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
    except (RuleViolation, NotPermitted) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(ticket)


@login_required
@require_POST
@never_cache
@staff_only
def ticket_credentials(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Show the reproduction credentials once, on request; every reveal is audited."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    if not ticket.has_credentials:
        messages.error(request, _("This ticket has no credentials."))
        return redirect(ticket)
    try:
        credentials = services.reveal_credentials(ticket=ticket, actor=request.user)
    except NotPermitted as exc:
        messages.error(request, str(exc))
        return redirect(ticket)
    template = "tickets/ticket_detail.html" + ("#credentials" if request.htmx else "")
    return render(request, template, _detail_context(request, ticket, credentials=credentials))


@login_required
@require_GET
def attachment(
    request: AuthenticatedHttpRequest, ticket_id: int, attachment_id: int
) -> FileResponse:
    """A file, always as a download with its checked type; never rendered by the browser."""
    return file_download(get_attachment_for_user(request.user, ticket_id, attachment_id))
