from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SurveyAnswer
from .services import COMMENT_MAX


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=list(reversed(SurveyAnswer.Score.choices)),
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    t = forms.CharField(widget=forms.HiddenInput)
