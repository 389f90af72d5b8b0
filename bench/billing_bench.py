"""Billing speed: the consent rule, statement lines for a busy month, and PDF rendering.

No database: the rule and the statement arithmetic are pure, and the PDF is rendered from
an in-memory statement. Prints medians and p95 over several repetitions."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")

import django  # noqa: E402
from smoke import size  # noqa: E402

django.setup()

from supportal.accounts.models import Organization  # noqa: E402
from supportal.billing import ledger, rules  # noqa: E402
from supportal.billing.export import statement_csv, statement_pdf  # noqa: E402
from supportal.billing.statements import StatementView, _totals  # noqa: E402

REPEATS = size(7, 2)
CHECKS = size(50_000, 500)
CHARGES = size(2_000, 50)
PDF_LINES = size(300, 20)


def _charges(count: int) -> list[rules.Charge]:
    rng = random.Random(7)
    result = []
    for i in range(count):
        minutes = rng.choice([15, 30, 60, 90, 240])
        rate = Decimal(rng.choice(["125.00", "150.00"]))
        result.append(
            rules.Charge(
                source="time", source_id=i, date=date(2026, 5, 1 + i % 28), ticket_id=i,
                ticket_number=f"SUP-{1000 + i}", description="Work on the storefront",
                category="Professional services", minutes=minutes, rate=rate,
                amount=ledger.amount_for(minutes, rate), expert_minutes=0,
                waived=i % 20 == 0, on_finalised_statement=i % 50 == 0, credited=False,
            )
        )  # fmt: skip
    return result


def _timed(fn) -> list[float]:
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return samples


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def run() -> dict[str, float]:
    category = rules.CategoryFacts(code="ps_admin", billable=True, fixed_fee=False)
    facts = rules.TicketFacts(
        confirmed_bug=False, support_minutes_used=15, allowance_minutes=15,
        accepted_minutes=600, billed_minutes_so_far=120, has_accepted_notice=True,
        has_custom_code_exception=False,
    )  # fmt: skip

    def checks():
        for _ in range(CHECKS):
            rules.check_time_entry(category=category, facts=facts, minutes=30, billed=30)

    check_samples = _timed(checks)
    charges = _charges(CHARGES)
    line_samples = _timed(lambda: rules.statement_lines(charges, []))
    lines = rules.statement_lines(_charges(PDF_LINES), [])
    view = StatementView(
        organization=Organization(name="Bench Print"), period=date(2026, 5, 1), lines=lines,
        currency="USD", increment_minutes=15, rounding="up", totals=_totals(lines),
    )  # fmt: skip
    pdf_samples = _timed(lambda: statement_pdf(view))
    csv_samples = _timed(lambda: statement_csv(view))
    return {
        "consent checks per second (median)": CHECKS / statistics.median(check_samples),
        f"statement lines for {CHARGES} charges, ms (median)": statistics.median(line_samples)
        * 1e3,
        f"statement lines for {CHARGES} charges, ms (p95)": _p95(line_samples) * 1e3,
        f"PDF of {PDF_LINES} lines, ms (median)": statistics.median(pdf_samples) * 1e3,
        f"PDF of {PDF_LINES} lines, ms (p95)": _p95(pdf_samples) * 1e3,
        f"CSV of {PDF_LINES} lines, ms (median)": statistics.median(csv_samples) * 1e3,
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:50s} {value:12.1f}")
