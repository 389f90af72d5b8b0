"""Who may see what of billing. What a caller may not see is a 404."""

from __future__ import annotations

from django.http import Http404

from supportal.accounts.models import Organization, User
from supportal.tickets.access import can_work_tickets
from supportal.tickets.models import Ticket

from .models import Notice


def can_see_statements(user: User, organization: Organization) -> bool:
    """Staff, and the customer admins of the organization."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_work_tickets(user):
        return True
    return user.role == User.Role.CUSTOMER_ADMIN and user.organization_id == organization.pk


def is_ticket_customer(user: User, ticket: Ticket) -> bool:
    """The requester, or a customer admin of the ticket's organization."""
    if not (user.is_authenticated and user.is_active and user.is_customer):
        return False
    if user.organization_id != ticket.organization_id:
        return False
    return user.pk == ticket.requester_id or user.role == User.Role.CUSTOMER_ADMIN


def get_organization_for_billing(user: User, organization_id: int) -> Organization:
    organization = Organization.objects.select_related("plan").filter(pk=organization_id).first()
    if organization is None or not can_see_statements(user, organization):
        raise Http404("No such organization")
    return organization


def get_notice_for_customer(user: User, notice_id: int) -> Notice:
    """A notice the caller may accept or decline: only the ticket's customer; else 404."""
    notice = (
        Notice.objects.select_related("ticket", "ticket__organization").filter(pk=notice_id).first()
    )
    if notice is None or not is_ticket_customer(user, notice.ticket):
        raise Http404("No such notice")
    return notice


def can_see_billing_report(user: User) -> bool:
    return can_work_tickets(user)
