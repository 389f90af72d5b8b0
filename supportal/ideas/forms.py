from django import forms
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product

from .models import Idea


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *Idea.Status.choices]
    )
    product = forms.ModelChoiceField(
        required=False,
        queryset=Product.objects.filter(active=True),
        to_field_name="slug",
        empty_label=_("All products"),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Idea.Status.choices)
    note = forms.CharField(
        required=False,
        label=_("Public note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Followers receive it by email."),
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Idea.objects.filter(merged_into=None), label=_("Merge this idea into")
    )


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    product = forms.ModelChoiceField(
        required=False, queryset=Product.objects.filter(active=True), empty_label=_("Any product")
    )


class LinkTicketForm(forms.Form):
    idea = forms.ModelChoiceField(
        required=False,
        queryset=Idea.objects.filter(merged_into=None),
        empty_label=_("— a new idea —"),
        label=_("Count this request for"),
    )
    new_title = forms.CharField(
        required=False,
        max_length=200,
        label=_("New idea title"),
        help_text=_("Default: the subject."),
    )
