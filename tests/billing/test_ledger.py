"""The pure billing arithmetic: quarters in the vendor's zone, increments, expert hours."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from supportal.billing import ledger
from supportal.billing.ledger import Quarter


def test_quarter_boundary_is_read_on_the_vendors_wall_clock():
    # 04:30 UTC on April 1st is still March 31st in Chicago: Q1.
    instant = datetime(2025, 4, 1, 4, 30, tzinfo=UTC)
    assert ledger.quarter_of(instant, "America/Chicago") == Quarter(2025, 1)
    assert ledger.quarter_of(instant, "Europe/Madrid") == Quarter(2025, 2)


def test_quarter_bounds_previous_and_next():
    q = Quarter(2025, 1)
    start, end = q.bounds("America/Chicago")
    assert (start.date(), end.date()) == (date(2025, 1, 1), date(2025, 4, 1))
    assert str(q.previous()) == "2024-Q4"
    assert str(Quarter(2024, 4).next()) == "2025-Q1"
    assert q.last_day == date(2025, 3, 31)
    assert Quarter.parse("2025-Q3") == Quarter(2025, 3)
    with pytest.raises(ValueError):
        Quarter.parse("2025-Q5")


@pytest.mark.parametrize(
    ("minutes", "rounding", "billed"),
    [
        (1, "up", 15),
        (15, "up", 15),
        (16, "up", 30),
        (7, "nearest", 0),
        (8, "nearest", 15),
        (22, "nearest", 15),
        (23, "nearest", 30),
        (0, "up", 0),
    ],
)
def test_billed_minutes_round_to_the_increment(minutes, rounding, billed):
    assert ledger.billed_minutes(minutes, increment=15, rounding=rounding) == billed


def test_amounts_are_decimal_to_the_cent():
    assert ledger.amount_for(90, Decimal("125.00")) == Decimal("187.50")
    assert ledger.amount_for(20, Decimal("150.00")) == Decimal("50.00")
    assert ledger.amount_for(7, Decimal("125.00")) == Decimal("14.58")
    assert ledger.hours(90) == Decimal("1.50")


def test_expert_hours_are_used_first_then_charged():
    assert ledger.split_expert_hours(240, remaining=180) == ledger.ExpertSplit(180, 60)
    assert ledger.split_expert_hours(60, remaining=0) == ledger.ExpertSplit(0, 60)
    assert ledger.split_expert_hours(60, remaining=500) == ledger.ExpertSplit(60, 0)


def test_balance_folds_allocation_uses_and_refunds():
    rows = [("allocation", 180), ("use", -60), ("use", -30), ("refund", 30)]
    balance = ledger.balance_from_rows(Quarter(2025, 3), rows)
    assert (balance.included_minutes, balance.used_minutes, balance.remaining_minutes) == (
        180,
        60,
        120,
    )


def test_unused_hours_expire_unless_the_plan_carries_them_over():
    previous = ledger.balance_from_rows(Quarter(2025, 2), [("allocation", 180), ("use", -45)])
    assert ledger.carry_over_minutes(previous, plan_carries_over=False) == 0
    assert ledger.carry_over_minutes(previous, plan_carries_over=True) == 135
    assert ledger.carry_over_minutes(None, plan_carries_over=True) == 0
