"""Domain events sent by the ticket services, inside their transaction.

Apps that build on tickets (SLA clocks, notifications, billing) react to these instead of
tickets importing them: imports point one way. Receivers must not send mail directly;
they write rows and enqueue jobs with ``transaction.on_commit``."""

from django.dispatch import Signal

# ticket
ticket_opened = Signal()
# ticket, old_status, new_status, actor
ticket_status_changed = Signal()
# ticket, reply
reply_added = Signal()
# ticket, actor, note
urgency_downgraded = Signal()
# ticket, actor, note: staff marked a ticket urgent (voicemail, email and chat arrive non-urgent)
urgency_raised = Signal()
# source, target, actor: staff merged the duplicate source into target (tickets/merge.py)
tickets_merged = Signal()
