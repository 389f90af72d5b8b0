from django import forms

from .models import SurveyAnswer
from .services import COMMENT_MAX


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Your answer",
        choices=list(reversed(SurveyAnswer.Score.choices)),
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything you want to tell us? (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    t = forms.CharField(widget=forms.HiddenInput)
