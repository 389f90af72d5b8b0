from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind


class PreferencesForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label=_("Phone number you call us from"),
        max_length=32,
        required=False,
        help_text=_(
            "With its country code, e.g. +1 312 555 0100. Your voicemails then become "
            "tickets on your account."
        ),
    )


class VoicemailAssignForm(forms.Form):
    email = forms.EmailField(label=_("Customer's email"))
    remember_number = forms.BooleanField(
        label=_("Remember this number for the customer's next call"), required=False, initial=True
    )


class TwilioRecordingForm(forms.Form):
    """Twilio's recording callback fields we use (it sends more; they are ignored)."""

    RecordingSid = forms.CharField(max_length=64)
    CallSid = forms.CharField(max_length=64, required=False)
    From = forms.CharField(max_length=32, required=False)
    To = forms.CharField(max_length=32, required=False)
    RecordingUrl = forms.URLField(max_length=500, required=False, assume_scheme="https")
    RecordingDuration = forms.IntegerField(min_value=0, required=False)
    RecordingStartTime = forms.CharField(max_length=64, required=False)
    TranscriptionText = forms.CharField(max_length=20000, required=False, strip=True)
