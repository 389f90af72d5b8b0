"""The write path of billing, by concern: a ticket's billing row (``ticket_billing``), free
support (``allowance``), time (``timelog``), notices and quotes (``notices``), staff
overrides (``overrides``); expert hours, turn time, the calculator and statements have
their modules too. This module re-exports the first five for callers that import
``billing.services``; new code imports the module of its concern."""

from __future__ import annotations

from .access import is_ticket_customer
from .allowance import (
    Allowance,
    Window,
    allowance_for,
    allowance_from,
    allowance_window,
    counted_free_entries,
    free_minutes_in_window,
    region_time_zone,
)
from .notices import (
    LineDraft,
    accept_notice,
    decline_notice,
    notice_text,
    notice_total,
    parse_rate,
    request_rush_quote,
    send_notice,
    send_quote,
)
from .overrides import extend_allowance, mark_confirmed_bug, record_custom_code_exception
from .ticket_billing import category_for, classify_new_ticket, classify_ticket, vendor_today
from .timelog import MAX_MINUTES_PER_ENTRY, log_time

__all__ = [
    "MAX_MINUTES_PER_ENTRY",
    "Allowance",
    "LineDraft",
    "Window",
    "accept_notice",
    "allowance_for",
    "allowance_from",
    "allowance_window",
    "category_for",
    "classify_new_ticket",
    "classify_ticket",
    "counted_free_entries",
    "decline_notice",
    "extend_allowance",
    "free_minutes_in_window",
    "is_ticket_customer",
    "log_time",
    "mark_confirmed_bug",
    "notice_text",
    "notice_total",
    "parse_rate",
    "record_custom_code_exception",
    "region_time_zone",
    "request_rush_quote",
    "send_notice",
    "send_quote",
    "vendor_today",
]
