"""Custom fields in the ticket exports: one column per active field, staff-only for staff."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from supportal.tickets import custom_fields
from supportal.tickets.models import CustomField
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(demo):
    CustomField.objects.create(
        key="storefront", label="Storefront", kind="choice", choices="B2B\nB2C"
    )
    CustomField.objects.create(key="crm", label="CRM reference", staff_only=True, position=1)
    CustomField.objects.create(key="old", label="Retired", active=False)
    answered = make_ticket(demo.bob, subject="Answered", custom_fields={"storefront": "B2B"})
    custom_fields.set_field_values(ticket=answered, actor=demo.agent, values={"crm": "CRM-7"})
    make_ticket(demo.bob, subject="Unanswered")
    return answered


def _rows(client, user, name: str = "reports:export_csv") -> list[dict[str, str]]:
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_column_per_field_and_customers_no_staff_only_one(client, demo, answered):
    staff = {r["subject"]: r for r in _rows(client, demo.agent)}
    assert staff["Answered"]["field:storefront"] == "B2B"
    assert staff["Answered"]["field:crm"] == "CRM-7"
    assert staff["Unanswered"]["field:storefront"] == ""
    assert "field:old" not in staff["Answered"]
    customer = {r["subject"]: r for r in _rows(client, demo.bob)}
    assert customer["Answered"]["field:storefront"] == "B2B"
    assert "field:crm" not in customer["Answered"]
    assert "CRM-7" not in str(customer)


def test_xlsx_carries_the_same_columns(client, demo, answered):
    client.force_login(demo.agent)
    response = client.get(reverse("reports:export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-2:] == ["field:storefront", "field:crm"]
    by_subject = {row[header.index("subject")]: row for row in rows[1:]}
    assert by_subject["Answered"][-2:] == ("B2B", "CRM-7")


def test_api_csv_carries_the_fields(client, demo, answered):
    from tests.api.client import ApiClient

    response = ApiClient(client).get("/reports/tickets.csv", user=demo.agent)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["subject"]: r["field:crm"] for r in rows}["Answered"] == "CRM-7"
