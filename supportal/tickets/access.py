"""Who may see and do what with tickets. Every view, API route and job goes through here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from supportal.accounts.access import is_working_staff
from supportal.accounts.models import User

from .models import Attachment, Reply, Ticket, TicketSearchDocument


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Staff (read-only staff too) see every ticket; a customer admin their organization's;
    a customer their own."""
    qs = Ticket.objects.select_related("organization", "product", "requester", "assignee")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_staff_or_auditor:
        return qs
    if user.role == User.Role.CUSTOMER_ADMIN and user.organization_id:
        return qs.filter(organization_id=user.organization_id)
    if user.role == User.Role.CUSTOMER and user.organization_id:
        return qs.filter(requester=user, organization_id=user.organization_id)
    return qs.none()


def search_documents_visible_to(user: User) -> QuerySet[TicketSearchDocument]:
    """The search documents (PostgreSQL) of the tickets ``tickets_visible_to`` gives, by
    the same rule on the columns the document copies from its ticket."""
    qs = TicketSearchDocument.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_staff_or_auditor:
        return qs
    if user.role == User.Role.CUSTOMER_ADMIN and user.organization_id:
        return qs.filter(organization_id=user.organization_id)
    if user.role == User.Role.CUSTOMER and user.organization_id:
        return qs.filter(requester=user, organization_id=user.organization_id)
    return qs.none()


def get_ticket_for_user(user: User, ticket_id: int) -> Ticket:
    """The ticket, or 404 when it does not exist or the user may not see it."""
    try:
        return tickets_visible_to(user).get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404("No such ticket") from None


def replies_visible_to(user: User, ticket: Ticket) -> QuerySet[Reply]:
    # The authors are a handful of people: read once each, not once per reply.
    qs = ticket.replies.prefetch_related("author", "attachments")
    if not can_see_internal_notes(user):
        qs = qs.filter(internal=False)
    return qs


def get_attachment_for_user(user: User, ticket_id: int, attachment_id: int) -> Attachment:
    ticket = get_ticket_for_user(user, ticket_id)
    qs = Attachment.objects.filter(ticket=ticket, pk=attachment_id)
    if not can_see_internal_notes(user):
        qs = qs.exclude(reply__internal=True)
    attachment = qs.first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def can_see_internal_notes(user: User) -> bool:
    return user.is_authenticated and user.is_staff_or_auditor


def can_read_as_staff(user: User) -> bool:
    """Every ticket, the queue and staff reports: staff, and read-only staff (auditors),
    who change nothing."""
    return user.is_authenticated and user.is_active and user.is_staff_or_auditor


def can_work_tickets(user: User) -> bool:
    """Reply as staff, add notes, change status, assign, read credentials. Not auditors."""
    return is_working_staff(user)


def can_file_tickets(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_customer
