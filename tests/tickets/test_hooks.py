"""The ticket hooks: every step the ticket services name is done by an installed app."""

from dataclasses import fields

import pytest

from supportal.tickets.hooks import TicketHooks, _nothing, hooks


def test_every_ticket_hook_is_filled_at_start_up():
    """A hook no app filled does nothing, silently: with every app installed, none is left."""
    unfilled = [hook.name for hook in fields(TicketHooks) if getattr(hooks, hook.name) is _nothing]
    assert unfilled == []


def test_filling_a_hook_that_does_not_exist_fails():
    with pytest.raises(TypeError, match="start_sla_clock"):
        TicketHooks().fill(start_sla_clock=lambda **kwargs: None)
