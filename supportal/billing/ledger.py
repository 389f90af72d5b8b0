"""Pure billing arithmetic: quarters, increments, money, expert hours. No ORM, no settings.

Everything here takes its inputs as arguments so it can be tested without a database and
called with the values of the settings in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, e.g. ``Quarter(2025, 3)`` printed as ``2025-Q3``."""

    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @classmethod
    def parse(cls, text: str) -> Quarter:
        year, _, number = text.partition("-Q")
        quarter = cls(int(year), int(number))
        if not 1 <= quarter.number <= 4:
            raise ValueError(f"not a quarter: {text!r}")
        return quarter

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def bounds(self, tz_name: str) -> tuple[datetime, datetime]:
        """[start, end) of the quarter as aware datetimes in the vendor's time zone."""
        zone = ZoneInfo(tz_name)
        start = datetime.combine(self.first_day, time.min, tzinfo=zone)
        end = datetime.combine(self.next().first_day, time.min, tzinfo=zone)
        return start, end


def quarter_of_date(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarter_of(instant: datetime, tz_name: str) -> Quarter:
    """The quarter an instant falls in, read on the vendor's wall clock."""
    return quarter_of_date(instant.astimezone(ZoneInfo(tz_name)).date())


def local_date(instant: datetime, tz_name: str) -> date:
    return instant.astimezone(ZoneInfo(tz_name)).date()


def billed_minutes(minutes: int, *, increment: int, rounding: str) -> int:
    """Minutes worked rounded to the billing increment: ``up`` (default) or ``nearest``."""
    if minutes <= 0:
        return 0
    if increment <= 1:
        return minutes
    blocks, rest = divmod(minutes, increment)
    if rest == 0:
        return minutes
    if rounding == "nearest":
        return (blocks + (1 if rest * 2 >= increment else 0)) * increment
    return (blocks + 1) * increment


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_for(minutes: int, rate: Decimal) -> Decimal:
    """What ``minutes`` cost at an hourly ``rate``, to the cent."""
    return money(Decimal(minutes) * rate / MINUTES_PER_HOUR)


def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimals, the way statements and the API show them."""
    return money(Decimal(minutes) / MINUTES_PER_HOUR)


def hours_to_minutes(value: Decimal) -> int:
    return int((value * MINUTES_PER_HOUR).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ExpertSplit:
    expert_minutes: int
    charged_minutes: int


def split_expert_hours(billed: int, *, remaining: int) -> ExpertSplit:
    """Expert-service hours are used first; what they do not cover is charged."""
    covered = max(0, min(billed, remaining))
    return ExpertSplit(expert_minutes=covered, charged_minutes=billed - covered)


@dataclass(frozen=True)
class ExpertBalance:
    quarter: Quarter
    included_minutes: int
    used_minutes: int

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.included_minutes - self.used_minutes)


def balance_from_rows(quarter: Quarter, rows: list[tuple[str, int]]) -> ExpertBalance:
    """Fold ledger rows ``(kind, signed minutes)`` of one quarter into a balance.

    Allocation and carry-over rows add to what is included; uses are negative and
    refunds (a confirmed bug) positive, so "used" is what was taken minus what came back."""
    included = sum(m for kind, m in rows if kind in ("allocation", "carry_over"))
    used = -sum(m for kind, m in rows if kind in ("use", "refund"))
    return ExpertBalance(quarter=quarter, included_minutes=included, used_minutes=used)


def carry_over_minutes(previous: ExpertBalance | None, *, plan_carries_over: bool) -> int:
    """Unused hours expire at the quarter's end unless the plan carries them over."""
    if previous is None or not plan_carries_over:
        return 0
    return previous.remaining_minutes


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following


ALLOWANCE_WINDOWS = ("day", "week", "month", "ticket")


def allowance_window(instant: datetime, *, tz_name: str, window: str) -> tuple[datetime, datetime]:
    """[start, end) of the free-support window that ``instant`` falls in, on the wall clock
    of ``tz_name`` (the organization's region): its calendar day, its week (Monday to
    Sunday) or its month. DST days are 23 or 25 hours long, as the wall clock says."""
    if window not in ("day", "week", "month"):
        raise ValueError(f"not a calendar window: {window!r}")
    zone = ZoneInfo(tz_name)
    day = instant.astimezone(zone).date()
    if window == "day":
        first, following = day, day + timedelta(days=1)
    elif window == "week":
        first = day - timedelta(days=day.weekday())
        following = first + timedelta(days=7)
    else:
        first, following = month_bounds(day.year, day.month)
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(following, time.min, tzinfo=zone),
    )
