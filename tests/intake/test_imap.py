"""The IMAP poller's path into the pipeline, without an IMAP server: a recorded mailbox."""

import pytest

from supportal.intake.imap import fetch_new_mail
from supportal.intake.models import InboundEmail

from .conftest import eml

pytestmark = pytest.mark.django_db


class RecordedMailbox:
    """Answers the IMAP UID commands the poller sends, as a server would."""

    def __init__(self, messages: dict[bytes, bytes]):
        self.messages = messages
        self.seen: set[bytes] = set()

    def uid(self, command, *args):
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if uid not in self.seen]
            return "OK", [b" ".join(unseen)]
        if command == "FETCH":
            uid = args[0].encode()
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {n}", self.messages[uid]), b")"]
        if command == "STORE":
            self.seen.add(args[0].encode())
            return "OK", [b""]
        raise AssertionError(command)


def test_unseen_mail_is_stored_once_and_marked_seen(demo, django_capture_on_commit_callbacks):
    mailbox = RecordedMailbox(
        {b"7": eml("new_from_known_customer.eml"), b"8": eml("unknown_sender.eml")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_new_mail(mailbox) == 2
    assert mailbox.seen == {b"7", b"8"}
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {"imap"}
    # A poll that re-reads the same mail (it died before STORE) duplicates nothing.
    mailbox.seen.clear()
    assert fetch_new_mail(mailbox) == 0
    assert InboundEmail.objects.count() == 2
