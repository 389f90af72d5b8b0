from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Component, ComponentStatus, Incident


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class _ComponentStatusFields(forms.Form):
    """One select per component: leave it empty when the event does not affect it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not affected"), *ComponentStatus.choices]
        for component in Component.objects.all():
            self.fields[f"component_{component.pk}"] = forms.ChoiceField(
                label=component.name, choices=choices, required=False
            )

    def component_statuses(self) -> dict[Component, str]:
        result = {}
        for component in Component.objects.all():
            value = self.cleaned_data.get(f"component_{component.pk}")
            if value:
                result[component] = value
        return result

    def component_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("component_")]


class IncidentForm(_ComponentStatusFields):
    name = forms.CharField(max_length=200)
    impact = forms.ChoiceField(
        choices=[c for c in Incident.Impact.choices if c[0] != Incident.Impact.MAINTENANCE],
        initial=Incident.Impact.MINOR,
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What customers see"))


class UpdateForm(_ComponentStatusFields):
    status = forms.ChoiceField(choices=Incident.Status.choices)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Update"))


class MaintenanceForm(forms.Form):
    name = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What will happen"))
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    components = forms.ModelMultipleChoiceField(
        queryset=Component.objects.all(), widget=forms.CheckboxSelectMultiple
    )
