"""The survey's pages. No login: the signed token in the link is the credential, for one
ticket only. The mail's link opens the page with the score chosen and ``csat.js``
sends it at once (one click); a GET alone records nothing, so a mail scanner
that follows links answers no survey."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportal.core.errors import InvalidInput
from supportal.tickets.models import Ticket

from . import services
from .forms import AnswerForm
from .models import SurveyAnswer
from .tokens import token_is_for


def _ticket_for_token(ticket_id: int, token: str) -> Ticket:
    """The ticket the token was issued for; 404 for any other ticket or a bad token."""
    if not token or not token_is_for(token, ticket_id):
        raise Http404("No such survey")
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404("No such survey")
    return ticket


def _render(
    request: HttpRequest,
    ticket: Ticket,
    form: AnswerForm,
    *,
    answer: SurveyAnswer | None = None,
    note: str = "",
    send_now: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "csat/answer.html",
        {"ticket": ticket, "form": form, "answer": answer, "note": note, "send_now": send_now},
        status=status,
    )


@require_GET
def answer(request: HttpRequest, ticket_id: int, score: int) -> HttpResponse:
    """The link in the mail or on the portal: the form with the score chosen, sent at once
    by the page's script; or the answer already given, to change."""
    token = request.GET.get("t", "")
    ticket = _ticket_for_token(ticket_id, token)
    if score not in SurveyAnswer.Score.values:
        raise Http404("No such answer")
    existing = SurveyAnswer.objects.filter(ticket=ticket).first()
    if existing is not None:
        form = AnswerForm(
            initial={"score": existing.score, "comment": existing.comment, "t": token}
        )
        note = _("You had already answered; you may change your answer below.")
        return _render(request, ticket, form, answer=existing, note=note)
    form = AnswerForm(initial={"score": score, "t": token})
    return _render(request, ticket, form, send_now=True)


@require_POST
def update(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Record the ticket's one answer, or change its score or comment."""
    token = request.POST.get("t", "")
    ticket = _ticket_for_token(ticket_id, token)
    form = AnswerForm(request.POST)
    existing = SurveyAnswer.objects.filter(ticket=ticket).first()
    if not form.is_valid():
        return _render(request, ticket, form, answer=existing, status=422)
    try:
        saved, created = services.record_answer(
            ticket=ticket, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
    except InvalidInput as exc:
        refusal = " ".join(exc.errors.values())
        return _render(request, ticket, form, answer=existing, note=refusal, status=409)
    form = AnswerForm(initial={"score": saved.score, "comment": saved.comment, "t": token})
    note = _("Thank you for your answer.") if created else _("Thank you: your answer is saved.")
    if created and not saved.comment:
        note += " " + _("Anything you want to add? A comment below is welcome.")
    return _render(request, ticket, form, answer=saved, note=note)
