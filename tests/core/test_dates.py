"""core.dates gives what Django's ``date`` filter gives for the active language's style, in
the viewer's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from supportal.core import dates

ZONES = ["UTC", "America/Chicago", "Europe/Madrid", "Asia/Kolkata", "Australia/Lord_Howe"]


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
)
def test_formats_match_the_date_filter(moment, zone):
    with timezone.override(ZoneInfo(zone)):
        local = timezone.localtime(moment)
        assert dates.iso(moment) == dateformat.format(local, "c")
        assert dates.short(moment) == dateformat.format(local, "M j, Y H:i")
        assert dates.short_no_year(moment) == dateformat.format(local, "M j, H:i")
        with translation.override("es"):
            assert dates.short(moment) == dateformat.format(local, "j b Y, H:i")
            assert dates.short_no_year(moment) == dateformat.format(local, "j b, H:i")


def test_the_viewers_zone_decides_the_day_shown():
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("America/Chicago")):
        assert dates.short(late) == "Dec 31, 2026 17:30"
    with timezone.override(ZoneInfo("Europe/Madrid")):
        assert dates.short(late) == "Jan 1, 2027 00:30"
        assert dates.short_no_year(late + timedelta(days=31)) == "Feb 1, 00:30"
        with translation.override("es"):
            assert dates.short(late) == "1 ene 2027, 00:30"
