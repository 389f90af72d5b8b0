"""Domain events sent by the SLA services, inside their transaction.

The warning mail goes out through the outbox in ``intake``, which builds on sla (its
acknowledgement of a new ticket states the SLA's expectation): it listens here instead of
sla importing it (imports point one way)."""

from django.dispatch import Signal

# clock: the SlaClock whose warning was just claimed, with its ticket's assignee and
# region lead loaded. Receivers write the warning in this transaction, so it is sent once.
warning_claimed = Signal()
