"""CSV cells: formulas neutralised, types kept."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from supportal.reports import spreadsheet


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_text_starting_like_a_formula_gets_a_leading_apostrophe(hostile):
    assert spreadsheet.safe_cell(hostile) == "'" + hostile


def test_ordinary_text_and_typed_values_are_left_alone():
    assert spreadsheet.safe_cell("Shipping = slow") == "Shipping = slow"
    assert spreadsheet.safe_cell(-5) == -5
    assert spreadsheet.safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert spreadsheet.safe_cell(None) is None


def test_csv_lines_parse_back_with_header_and_neutralised_cells():
    moment = datetime(2025, 9, 2, 15, tzinfo=UTC)
    text = "".join(
        spreadsheet.csv_lines(
            ["subject", "urgent", "at"], [["=1+1", True, moment], ["a,b", False, None]]
        )
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["subject", "urgent", "at"],
        ["'=1+1", "yes", "2025-09-02T15:00:00+00:00"],
        ["a,b", "no", ""],
    ]
