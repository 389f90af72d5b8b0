"""SVG charts: well-formed, escaped, one mark per value."""

import xml.etree.ElementTree as ET

from supportal.reports import svg

NS = "{http://www.w3.org/2000/svg}"


def test_bar_chart_draws_one_bar_per_value_and_escapes_labels():
    markup = svg.bar_chart(
        ["<script>", "B"],
        [svg.Series("Tickets", [3, 5]), svg.Series("Pages", [1, None])],
        title="Tickets & pages",
        chart_id="urgent",
    )
    root = ET.fromstring(markup)  # well-formed XML
    bars = [r for r in root.iter(f"{NS}rect") if "chart__bar" in r.get("class", "")]
    assert len(bars) == 3
    assert "<script>" not in markup
    assert root.find(f"{NS}title").text == "Tickets & pages"
    assert "style=" not in markup


def test_line_chart_breaks_the_line_where_a_value_is_missing():
    markup = svg.line_chart(
        ["w1", "w2", "w3", "w4"],
        [svg.Series("Attainment", [50, None, 80, 90])],
        title="SLA",
        chart_id="sla",
        unit="%",
        y_max=100,
    )
    root = ET.fromstring(markup)
    assert len(list(root.iter(f"{NS}circle"))) == 3
    assert len(list(root.iter(f"{NS}polyline"))) == 1  # w1 stands alone; w3-w4 is a line


def test_chart_without_data_says_so():
    markup = svg.bar_chart([], [], title="Nothing", chart_id="none")
    assert "No data yet" in markup
    ET.fromstring(markup)


def test_nice_ceiling_rounds_up_to_a_readable_axis():
    assert svg.nice_ceiling(7) == 10
    assert svg.nice_ceiling(130) == 200
    assert svg.nice_ceiling(0) == 1
