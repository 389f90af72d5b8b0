"""Calculator passwords: the warning first, stored encrypted, shown once, audit-logged."""

import pytest
from django.db import connection

from supportal.billing import calculator
from supportal.billing.models import CalculatorPassword
from supportal.core.errors import NotPermitted, RuleViolation
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket


@pytest.fixture
def request_ticket(demo):
    return make_ticket(demo.alice, kind="calculator_password", subject="Flyer sheet password")


def test_password_is_released_only_after_the_warning_is_acknowledged(demo, request_ticket):
    with pytest.raises(RuleViolation) as caught:
        calculator.release_calculator_password(
            ticket=request_ticket, actor=demo.agent, password="s3cret"
        )
    assert caught.value.code == "warning_not_acknowledged"
    calculator.acknowledge_calculator_warning(ticket=request_ticket, customer=demo.alice)
    calculator.release_calculator_password(
        ticket=request_ticket, actor=demo.agent, password="s3cret"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM billing_calculatorpassword")
        stored = cursor.fetchone()[0]
    assert "s3cret" not in stored  # encrypted at rest


def test_password_is_revealed_once_and_audited(demo, request_ticket):
    calculator.acknowledge_calculator_warning(ticket=request_ticket, customer=demo.alice)
    calculator.release_calculator_password(
        ticket=request_ticket, actor=demo.agent, password="s3cret"
    )
    with pytest.raises(NotPermitted):
        calculator.reveal_calculator_password(ticket=request_ticket, customer=demo.carol)
    assert (
        calculator.reveal_calculator_password(ticket=request_ticket, customer=demo.alice)
        == "s3cret"
    )
    with pytest.raises(RuleViolation):
        calculator.reveal_calculator_password(ticket=request_ticket, customer=demo.alice)
    assert CalculatorPassword.objects.get(pk=request_ticket.pk).password == ""
    actions = list(
        AuditEvent.objects.filter(ticket=request_ticket).values_list("action", flat=True)
    )
    assert {
        "calculator_warning_accepted",
        "calculator_password_released",
        "calculator_password_revealed",
    } <= set(actions)


def test_only_password_requests_take_one(demo, acme_ticket):
    with pytest.raises(RuleViolation):
        calculator.acknowledge_calculator_warning(ticket=acme_ticket, customer=demo.alice)


def test_the_warning_states_the_repair_rates_of_the_rate_rows(demo, request_ticket):
    """Issue 18: the warning reads the calculator-repair rates a manager set, not "$125-$175"
    written into the text; the customer's acknowledgement keeps what they were shown."""
    from decimal import Decimal

    from django.test import Client

    from supportal.billing.models import WorkCategory

    assert "$125.00 to $175.00 per hour" in calculator.warning_text()  # the policy's rates
    WorkCategory.objects.filter(code="calculator_repair").update(
        rate=Decimal("130.00"), rate_max=Decimal("180.00")
    )
    client = Client()
    client.force_login(demo.alice)
    page = client.get(request_ticket.get_absolute_url()).content.decode()
    assert "billed at $130.00 to $180.00 per hour" in page and "$125" not in page
    calc = calculator.acknowledge_calculator_warning(ticket=request_ticket, customer=demo.alice)
    assert "$130.00 to $180.00 per hour" in calc.acknowledged_text


def test_the_warning_reads_in_the_readers_language_or_as_the_installation_set_it(
    demo, request_ticket, settings
):
    from django.utils import translation

    with translation.override("es"):
        spanish = calculator.warning_text()
    assert "125,00\xa0US$ a 175,00\xa0US$ por hora" in spanish
    assert spanish.startswith("Tenga mucho cuidado")
    settings.SUPPORTAL_CALCULATOR_WARNING = "Repairs cost {rates}."
    assert calculator.warning_text() == "Repairs cost $125.00 to $175.00 per hour."
