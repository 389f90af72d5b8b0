"""Intake hooks, the notification preference page, and the staff intake pages."""

from __future__ import annotations

from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from twilio.request_validator import RequestValidator

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, RuleViolation

from . import outbox, preferences, queries, services, voice
from .email.parse import parse_email
from .forms import PreferencesForm, TwilioRecordingForm, VoicemailAssignForm
from .models import ContactPhone, InboundEmail, OutboundEmail, Voicemail

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


# --- Hooks --------------------------------------------------------------------------------


def twilio_signature_valid(request: HttpRequest) -> bool:
    """X-Twilio-Signature over the public URL (SUPPORTAL_PUBLIC_URL + path when set, else
    the URL as received) and the form fields, with TWILIO_AUTH_TOKEN."""
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    if settings.SUPPORTAL_PUBLIC_URL:
        url = settings.SUPPORTAL_PUBLIC_URL.rstrip("/") + request.get_full_path()
    else:
        url = request.build_absolute_uri()
    valid: bool = RequestValidator(token).validate(url, request.POST, signature)
    return valid


@csrf_exempt
@require_POST
def twilio_recording(request: HttpRequest) -> HttpResponse:
    """Twilio's recording callback: a voicemail becomes a phone ticket or waits in triage."""
    if not twilio_signature_valid(request):
        return HttpResponse("Invalid signature", status=403, content_type="text/plain")
    form = TwilioRecordingForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    voice.record_voicemail(
        callback=voice.VoicemailCallback(
            recording_sid=data["RecordingSid"],
            call_sid=data["CallSid"],
            from_number=data["From"],
            to_number=data["To"],
            recording_url=data["RecordingUrl"] or "",
            duration_seconds=data["RecordingDuration"] or 0,
            transcription=data["TranscriptionText"],
            called_at=voice.called_at_from(data["RecordingStartTime"]),
        )
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
def mailgun_inbound(request: HttpRequest) -> HttpResponse:
    """Mailgun's inbound route (forward to this URL). Off until a signing key is set: the
    signature is all that tells the provider's posts from anyone's."""
    if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404("Inbound webhook not configured")
    response: HttpResponse = MailgunInboundWebhookView.as_view()(request)
    return response


# --- The user's notification settings -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                preferences.update_preferences(
                    user=user,
                    receive=form.cleaned_data["receive"],
                    phone=form.cleaned_data["phone"],
                )
            except InvalidInput as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("intake:preferences")
    else:
        form = PreferencesForm(
            initial={
                "receive": sorted(preferences.received_kinds(user)),
                "phone": preferences.phone_of(user),
            }
        )
    return render(
        request,
        "intake/notification_preferences.html",
        {"form": form, "phone_claim": preferences.phone_claim_of(user)},
    )


@login_required
@require_GET
def organization_phones(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A customer admin confirms the numbers their colleagues call from."""
    user = request.user
    if user.role != User.Role.CUSTOMER_ADMIN:
        raise Http404("No such page")
    return render(
        request,
        "intake/organization_phones.html",
        {"phones": queries.organization_phones(user)},
    )


@login_required
@require_POST
def organization_phone_confirm(request: AuthenticatedHttpRequest, phone_id: int) -> HttpResponse:
    phone = get_object_or_404(queries.organization_phones(request.user), pk=phone_id)
    preferences.verify_phone(phone=phone, actor=request.user)
    messages.success(
        request,
        _("Confirmed %(number)s for %(email)s.")
        % {"number": phone.number, "email": phone.user.email},
    )
    return redirect("intake:organization_phones")


# --- Staff: what the intake needs a person for ---------------------------------------------


@login_required
@staff_only
def intake_dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "intake/intake_dashboard.html",
        {
            "held_mail": queries.mail_needing_staff(),
            "recent_mail": queries.recent_mail(),
            "notifications": queries.notifications_needing_staff(),
            "voicemails": queries.voicemail_triage(),
            "phones": queries.phones_to_verify(),
            "recording_failures": queries.voicemail_recording_failures(),
            "assign_form": VoicemailAssignForm(),
        },
    )


@login_required
@staff_only
def mail_detail(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = get_object_or_404(InboundEmail, pk=inbound_id)
    raw = bytes(inbound.raw)
    parsed = None if inbound.truncated else parse_email(raw)
    headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:20000]
    return render(
        request,
        "intake/inbound_detail.html",
        {
            "inbound": inbound,
            "parsed": parsed,
            "headers": headers.decode("utf-8", "replace"),
        },
    )


@login_required
@require_POST
@staff_only
def mail_action(request: AuthenticatedHttpRequest, inbound_id: int, action: str) -> HttpResponse:
    inbound = get_object_or_404(InboundEmail, pk=inbound_id)
    if action == "release":
        try:
            status = services.release_inbound(inbound=inbound, actor=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            if status is None:  # a colleague released it between this page and the click
                messages.info(request, _("Someone else released this mail a moment ago."))
            else:
                messages.success(
                    request,
                    _("Released: %(status)s.") % {"status": InboundEmail.Status(status).label},
                )
    elif action == "dismiss":
        services.dismiss_inbound(inbound=inbound, actor=request.user)
        messages.success(request, _("Dismissed."))
    else:
        raise Http404("No such action")
    return redirect("intake:mail_detail", inbound_id=inbound.pk)


@login_required
@require_POST
@staff_only
def phone_verify(request: AuthenticatedHttpRequest, phone_id: int) -> HttpResponse:
    phone = get_object_or_404(ContactPhone.objects.select_related("user"), pk=phone_id)
    try:
        preferences.verify_phone(phone=phone, actor=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(number)s is verified for %(email)s.")
            % {"number": phone.number, "email": phone.user.email},
        )
    return redirect("intake:dashboard")


@login_required
@require_POST
@staff_only
def outbox_retry(request: HttpRequest, outbound_id: int) -> HttpResponse:
    outbound = get_object_or_404(OutboundEmail, pk=outbound_id)
    if outbox.retry(outbound=outbound):
        messages.success(request, _("Sending “%(subject)s” again.") % {"subject": outbound.subject})
    else:
        messages.info(request, _("That notification is not failed; nothing to retry."))
    return redirect("intake:dashboard")


@login_required
@require_POST
@staff_only
def voicemail_action(
    request: AuthenticatedHttpRequest, voicemail_id: int, action: str
) -> HttpResponse:
    voicemail = get_object_or_404(Voicemail, pk=voicemail_id)
    if action == "dismiss":
        voice.dismiss_voicemail(voicemail=voicemail, actor=request.user)
        messages.success(request, _("Voicemail dismissed."))
        return redirect("intake:dashboard")
    if action != "assign":
        raise Http404("No such action")
    form = VoicemailAssignForm(request.POST)
    requester = None
    if form.is_valid():
        requester = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if requester is None:
        messages.error(request, _("Enter the email of a customer who has an account."))
        return redirect("intake:dashboard")
    try:
        ticket = voice.assign_voicemail(
            voicemail=voicemail,
            actor=request.user,
            requester=requester,
            remember_number=form.cleaned_data["remember_number"],
        )
    except InvalidInput as exc:
        messages.error(request, " ".join(exc.errors.values()))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Opened %(number)s for %(email)s.")
            % {"number": ticket.number, "email": requester.email},
        )
    return redirect("intake:dashboard")
