from django import forms

from supportal.accounts.models import Product

from .models import Idea


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Idea.Status.choices])
    product = forms.ModelChoiceField(
        required=False,
        queryset=Product.objects.filter(active=True),
        to_field_name="slug",
        empty_label="All products",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Idea.Status.choices)
    note = forms.CharField(
        required=False,
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Followers receive it by email.",
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Idea.objects.filter(merged_into=None), label="Merge this idea into"
    )


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    product = forms.ModelChoiceField(
        required=False, queryset=Product.objects.filter(active=True), empty_label="Any product"
    )


class LinkTicketForm(forms.Form):
    idea = forms.ModelChoiceField(
        required=False,
        queryset=Idea.objects.filter(merged_into=None),
        empty_label="— a new idea —",
        label="Count this request for",
    )
    new_title = forms.CharField(
        required=False, max_length=200, label="New idea title", help_text="Default: the subject."
    )
