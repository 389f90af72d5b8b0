"""The dashboard's satisfaction figures: answers to the survey sent when a ticket is
resolved (supportal.csat), by week, agent, product and region. CSAT is the share of
answers in the top two of five ("happy", "very happy")."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from supportal.csat.models import SurveyAnswer

from . import periods, svg
from .figures import Figure, _by_week, _labels, _percent

# Translated when a figure is made (gettext_noop only marks them).
CSAT_COLUMNS = [
    gettext_noop("Answers"),
    gettext_noop("Satisfied"),
    gettext_noop("CSAT %"),
    gettext_noop("Average (1-5)"),
]


def _csat_columns() -> list[str]:
    return [_(column) for column in CSAT_COLUMNS]


def _answers(weeks: periods.Weeks) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(answered_at__gte=weeks.start, answered_at__lt=weeks.end)


SATISFIED = Q(score__gte=4)


def csat_by_week(weeks: periods.Weeks) -> Figure:
    figure = Figure(
        "csat-week",
        _("Customer satisfaction by week"),
        _("Share of survey answers that were happy or very happy, by week answered."),
        [_("Week"), *_csat_columns()],
    )
    answers = _answers(weeks)
    data = _by_week(
        answers,
        "answered_at",
        n=Count("pk"),
        happy=Count("pk", filter=SATISFIED),
        total=Sum("score"),
    )
    values = []
    for monday in weeks.mondays:
        d = data.get(monday, {"n": 0, "happy": 0, "total": 0})
        rate = _percent(d["happy"], d["n"])
        average = round(d["total"] / d["n"], 2) if d["n"] else None
        values.append(rate)
        figure.rows.append([monday, d["n"], d["happy"], rate, average])
    figure.svg = svg.line_chart(
        _labels(weeks),
        [svg.Series("CSAT", values)],
        title=figure.title,
        chart_id=figure.slug,
        unit="%",
        y_max=100,
    )
    return figure


def _csat_by(weeks: periods.Weeks, group: str, slug: str, title: str, heading: str) -> Figure:
    figure = Figure(
        slug,
        title,
        _("Survey answers in the last %(count)s weeks.") % {"count": len(weeks.mondays)},
        [heading, *_csat_columns()],
    )
    answers = _answers(weeks)
    rows = (
        answers.values(group)
        .annotate(n=Count("pk"), happy=Count("pk", filter=SATISFIED), average=Avg("score"))
        .order_by()
    )
    for row in sorted(rows, key=lambda r: str(r[group] or "").casefold()):
        average = round(float(row["average"]), 2) if row["average"] is not None else None
        figure.rows.append(
            [
                row[group] or _("None"),
                row["n"],
                row["happy"],
                _percent(row["happy"], row["n"]),
                average,
            ]
        )
    figure.svg = svg.bar_chart(
        [str(r[0]) for r in figure.rows],
        [svg.Series("CSAT", [r[3] for r in figure.rows])],
        title=title,
        chart_id=slug,
        unit="%",
        y_max=100,
    )
    return figure


def csat_by_agent(weeks: periods.Weeks) -> Figure:
    return _csat_by(
        weeks, "agent__name", "csat-agent", _("Customer satisfaction by agent"), _("Agent")
    )


def csat_by_product(weeks: periods.Weeks) -> Figure:
    return _csat_by(
        weeks,
        "ticket__product__name",
        "csat-product",
        _("Customer satisfaction by product"),
        _("Product"),
    )


def csat_by_region(weeks: periods.Weeks) -> Figure:
    return _csat_by(
        weeks,
        "ticket__organization__support_region__name",
        "csat-region",
        _("Customer satisfaction by region"),
        _("Region"),
    )


SATISFACTION_FIGURES = {
    "csat-week": csat_by_week,
    "csat-agent": csat_by_agent,
    "csat-product": csat_by_product,
    "csat-region": csat_by_region,
}
