"""Monthly statements against hand-computed examples; finalised ones never change."""

from decimal import Decimal

import pytest
import time_machine

from supportal.billing import notices, overrides, statements, timelog
from supportal.billing.export import statement_csv, statement_pdf
from supportal.billing.models import Statement, StatementLine
from supportal.core.errors import RuleViolation
from tests.factories import make_ticket
from tests.training import train

from .conftest import accepted_notice

MAY = "2025-05-20 12:00 -05:00"
JUNE = "2025-06-10 12:00 -05:00"


def log(ticket, actor, minutes, category):
    return timelog.log_time(ticket=ticket, actor=actor, minutes=minutes, category=category)


@pytest.fixture
def may_work(demo):
    """Acme in May 2025: 4 h admin (3 h covered by the HV plan), 1 h 10 min technical,
    free support, and a confirmed bug with 1 h billed before it was confirmed."""
    with time_machine.travel(MAY, tick=False):
        admin = make_ticket(demo.alice, subject="Shipping table")
        accepted_notice(admin, demo.agent, demo.alice, category="ps_admin", minutes=240)
        log(admin, demo.ps, 240, "ps_admin")  # 180 expert + 60 charged = 125.00
        tech = make_ticket(demo.alice, subject="Database export")
        accepted_notice(tech, demo.agent, demo.alice, category="ps_technical", minutes=90)
        log(tech, demo.ps, 70, "ps_technical")  # billed 75 min at 150 = 187.50
        log(tech, demo.agent, 10, "support")  # free: not on the statement
        bug = make_ticket(demo.alice, subject="Looks like a bug")
        accepted_notice(bug, demo.agent, demo.alice, category="ps_admin", minutes=60)
        log(bug, demo.ps, 60, "ps_admin")  # expert hours are used up: 125.00
        overrides.mark_confirmed_bug(ticket=bug, actor=demo.agent)  # waived: -125.00
    return {"admin": admin, "tech": tech, "bug": bug}


def test_statement_totals_match_the_hand_computed_example(demo, may_work):
    with time_machine.travel(JUNE, tick=False):
        view = statements.statement_for(demo.acme, 2025, 5)
    assert [(line.kind, line.amount) for line in view.lines] == [
        ("charge", Decimal("125.00")),
        ("charge", Decimal("187.50")),
        ("charge", Decimal("125.00")),
        ("waiver", Decimal("-125.00")),
    ]
    assert view.totals == {
        "charges": Decimal("437.50"),
        "waivers": Decimal("-125.00"),
        "credits": Decimal("0.00"),
        "total": Decimal("312.50"),
    }
    assert view.lines[0].expert_minutes == 180
    assert not view.is_final
    assert statements.statement_for(demo.bright, 2025, 5).totals["total"] == Decimal("0.00")


def test_finalised_statement_is_immutable_and_corrections_go_on_the_next(demo, may_work):
    with time_machine.travel(JUNE, tick=False):
        with pytest.raises(RuleViolation):
            statements.finalise_statement(
                organization=demo.acme, year=2025, month=6, actor=demo.manager
            )  # month not over
        final = statements.finalise_statement(
            organization=demo.acme, year=2025, month=5, actor=demo.manager
        )
        assert final.total == Decimal("312.50")
        with pytest.raises(RuleViolation):
            statements.finalise_statement(
                organization=demo.acme, year=2025, month=5, actor=demo.manager
            )
        # After finalising, the technical ticket turns out to be a bug, and a credit is granted.
        overrides.mark_confirmed_bug(ticket=may_work["tech"], actor=demo.agent)
        statements.add_correction(
            organization=demo.acme, actor=demo.manager, amount=Decimal("20"), reason="Slow response"
        )
        may = statements.statement_for(demo.acme, 2025, 5)
        assert may.is_final and may.totals["total"] == Decimal("312.50")
        june = statements.statement_for(demo.acme, 2025, 6)
    assert [(line.kind, line.amount) for line in june.lines] == [
        ("credit", Decimal("-187.50")),
        ("credit", Decimal("-20.00")),
    ]
    assert StatementLine.objects.filter(statement=final).count() == 4
    with time_machine.travel("2025-07-02 12:00 -05:00", tick=False):
        statements.finalise_statement(
            organization=demo.acme, year=2025, month=6, actor=demo.manager
        )
        assert statements.statement_for(demo.acme, 2025, 7).lines == []  # credited once
    assert Statement.objects.count() == 2


def test_rush_fee_is_a_line_in_the_month_it_was_accepted(demo):
    from datetime import timedelta

    from django.utils import timezone

    with time_machine.travel(MAY, tick=False):
        ticket = make_ticket(demo.carol, product="pjm", kind="professional_services")
        quote = notices.send_quote(
            ticket=ticket,
            actor=demo.ps,
            message="Setup",
            lines=[notices.LineDraft("ps_admin", 60)],
            rush_fee=Decimal("80.00"),
            rush_due_at=timezone.now() + timedelta(days=1),
        )
        notices.accept_notice(notice=quote, customer=demo.carol, rush=True)
        log(ticket, demo.ps, 60, "ps_admin")
        view = statements.statement_for(demo.bright, 2025, 5)
    assert sorted((line.kind, line.amount) for line in view.lines) == [
        ("charge", Decimal("125.00")),
        ("rush", Decimal("80.00")),
    ]
    assert view.totals["total"] == Decimal("205.00")


def test_csv_and_pdf_carry_the_lines_and_the_rounding(demo, may_work):
    with time_machine.travel(JUNE, tick=False):
        view = statements.statement_for(demo.acme, 2025, 5)
    text = statement_csv(view)
    assert "187.50" in text and "312.50" in text
    assert "Billed in 15-minute increments, rounded up" in text
    assert statement_pdf(view).startswith(b"%PDF")


def test_csv_cells_cannot_become_formulas(demo):
    train(demo.carol, "pjm")
    with time_machine.travel(MAY, tick=False):
        ticket = make_ticket(demo.carol, product="pjm")
        accepted_notice(ticket, demo.agent, demo.carol, minutes=60)
        timelog.log_time(
            ticket=ticket,
            actor=demo.ps,
            minutes=60,
            category="ps_admin",
            note='=HYPERLINK("http://evil")',
        )
        view = statements.statement_for(demo.bright, 2025, 5)
    assert ",=HYPERLINK" not in statement_csv(view)
