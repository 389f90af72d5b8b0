"""Keyset pagination walks every row once, in order, and refuses forged cursors."""

import pytest

from supportal.core.pagination import InvalidCursor, decode_cursor, encode_cursor, keyset_page
from supportal.tickets.models import Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_walks_all_rows_once_in_order(demo):
    made = [make_ticket(demo.bob, subject=f"Question {n}", urgent=(n % 3 == 0)) for n in range(11)]
    seen, cursor = [], None
    while True:
        page = keyset_page(
            Ticket.objects.all(), order=["-urgent", "received_at", "id"], cursor=cursor, limit=4
        )
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(made)
    assert len({t.pk for t in seen}) == len(made)
    expected = sorted(made, key=lambda t: (not t.urgent, t.received_at, t.pk))
    assert [t.pk for t in seen] == [t.pk for t in expected]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "W10",
        "!!!",
        encode_cursor([1, 2, 3, 4]),
        encode_cursor(["yesterday", 1]),
        encode_cursor(["2026-03-02T09:00:00+00:00", 2**70]),
        encode_cursor([None, 1]),
    ],
)
def test_forged_cursor_raises_invalid_cursor(demo, cursor):
    make_ticket(demo.bob, subject="Question 1")
    with pytest.raises(InvalidCursor):
        keyset_page(Ticket.objects.all(), order=["-received_at", "-id"], cursor=cursor, limit=5)


def test_cursor_round_trip():
    assert decode_cursor(encode_cursor([True, 3]), 2) == [True, 3]
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor([True, 3]), 3)
