"""A statement as CSV and as PDF (fpdf2). Both carry the billing increment and rounding."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from babel.numbers import get_currency_symbol
from django.utils import formats, translation
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy, to_locale
from django.utils.translation import gettext as _

from supportal.core.dates import format_date
from supportal.core.money import format_money

from . import ledger
from .statements import StatementView

HEADER = [
    "Date",
    "Ticket",
    "Description",
    "Category",
    "Hours",
    "Rate",
    "Amount",
    "Expert hours",
    "Line",
]

# The PDF is read by people: its fixed texts follow the reader's language. (The CSV is read
# by integrations: its headers stay English.)
PDF_HEADER = [
    gettext_lazy("Date"),
    gettext_lazy("Ticket"),
    gettext_lazy("Description"),
    gettext_lazy("Category"),
    gettext_lazy("Hours"),
    gettext_lazy("Rate"),
    gettext_lazy("Amount"),
    gettext_lazy("Expert hours"),
    gettext_lazy("Line"),
]
PDF_LINE_KINDS = {
    "charge": pgettext_lazy("statement line", "charge"),
    "rush": pgettext_lazy("statement line", "rush"),
    "waiver": pgettext_lazy("statement line", "waiver"),
    "credit": pgettext_lazy("statement line", "credit"),
}
PDF_TOTALS = {
    "charges": gettext_lazy("Charges"),
    "waivers": gettext_lazy("Waivers"),
    "credits": gettext_lazy("Credits"),
    "total": gettext_lazy("Total"),
}
ROUNDING = {"up": pgettext_lazy("rounding", "up"), "nearest": pgettext_lazy("rounding", "nearest")}


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: neutralise text cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rounding_note(view: StatementView) -> str:
    rounding = ROUNDING.get(view.rounding, view.rounding)
    return _(
        "Billed in %(increment)s-minute increments, rounded %(rounding)s. Amounts in "
        "%(currency)s. Expert-service hours included in the plan are used first."
    ) % {"increment": view.increment_minutes, "rounding": rounding, "currency": view.currency}


def statement_csv(view: StatementView) -> str:
    with translation.override("en"):  # read by integrations: English only
        return _statement_csv(view)


def _statement_csv(view: StatementView) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            f"Statement {view.slug}",
            _csv_safe(view.organization.name),
            "final" if view.is_final else "draft",
        ]
    )
    writer.writerow(HEADER)
    for line in view.lines:
        writer.writerow(
            [
                line.date.isoformat(),
                line.ticket_number,
                _csv_safe(line.description),
                _csv_safe(line.category),
                ledger.hours(line.minutes) if line.minutes else "",
                line.rate if line.rate is not None else "",
                line.amount,
                ledger.hours(line.expert_minutes) if line.expert_minutes else "",
                line.kind,
            ]
        )
    for name in ("charges", "waivers", "credits", "total"):
        writer.writerow(["", "", name.capitalize(), "", "", "", view.totals[name], "", "total"])
    writer.writerow([rounding_note(view)])
    return out.getvalue()


def _latin(text: str) -> str:
    # The core PDF fonts are Latin-1; anything else prints as "?".
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf_money(amount: Decimal, currency: str) -> str:
    """An amount as the reader writes it, in the PDF's Latin-1: "$125.00", "125,00 US$";
    a symbol the core fonts lack (€, ₹) gives way to the currency's code."""
    text = format_money(amount, currency)
    if _latin(text) != text:
        symbol = get_currency_symbol(currency, locale=to_locale(get_language() or "en"))
        text = _latin(text.replace(symbol, currency))
    return text


def statement_pdf(view: StatementView) -> bytes:
    # Imported here, not at the top: fpdf2 adds ~43 MB to every web worker that loads the
    # URLs, and only the rare PDF download needs it.
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    state = _("Final") if view.is_final else _("Draft (not final)")
    title = _("Statement %(label)s: %(organization)s") % {
        "label": view.label,
        "organization": view.organization.name,
    }
    pdf.cell(
        0,
        8,
        _latin(title),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 6, _latin(f"{state}. {rounding_note(view)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (22, 22, 92, 50, 16, 18, 22, 20, 15)
    with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=True) as table:
        header = table.row()
        for heading in PDF_HEADER:
            header.cell(_latin(str(heading)))
        for line in view.lines:
            row = table.row()
            for value in (
                format_date(line.date, "numeric_date"),
                line.ticket_number,
                line.description,
                line.category,
                formats.number_format(ledger.hours(line.minutes)) if line.minutes else "",
                _pdf_money(line.rate, view.currency) if line.rate is not None else "",
                _pdf_money(line.amount, view.currency),
                formats.number_format(ledger.hours(line.expert_minutes))
                if line.expert_minutes
                else "",
                str(PDF_LINE_KINDS.get(line.kind, line.kind)),
            ):
                row.cell(_latin(value))
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    for name in ("charges", "waivers", "credits", "total"):
        pdf.cell(
            0,
            6,
            _latin(f"{PDF_TOTALS[name]}: {_pdf_money(view.totals[name], view.currency)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
