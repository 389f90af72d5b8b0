"""Domain events sent by the accounts services, inside their transaction.

Mail goes out through the outbox in ``intake``, which builds on accounts: it listens
here instead of accounts importing it (imports point one way)."""

from django.dispatch import Signal

# invitation, raw_token: the only moment the raw token exists (only its hash is stored).
invitation_created = Signal()

# instance: an Organization or User whose saved name changed (the ticket search index keeps
# names in each ticket's document).
renamed = Signal()
