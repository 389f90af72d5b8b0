"""Managers define endpoints, read the delivery log, send a test and send again."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import Delivery, Endpoint, Event

SUBSCRIBABLE = [(value, label) for value, label in Event.choices if value != Event.PING]


class EndpointForm(forms.ModelForm[Endpoint]):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "format", "events", "is_active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin[Endpoint]):
    form = EndpointForm
    list_display = ["name", "host", "format", "is_active", "created_at"]
    list_filter = ["is_active", "format"]
    readonly_fields = ["signing_secret"]
    actions = ["send_test_delivery", "rotate_secret"]

    @admin.display(description="Host")
    def host(self, endpoint: Endpoint) -> str:
        return urlsplit(endpoint.url).hostname or ""  # the path may be a credential

    @admin.display(description="Signing secret")
    def signing_secret(self, endpoint: Endpoint) -> str:
        if endpoint.pk is None:
            return "Made when the endpoint is saved."  # type: ignore[unreachable]
        return endpoint.secret

    @admin.action(description="Send a test delivery (ping)")
    def send_test_delivery(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            services.send_test(endpoint=endpoint)
        self.message_user(request, "Test deliveries queued: see the delivery log.")

    @admin.action(description="Make a new signing secret (the old one stops working)")
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            services.rotate_secret(endpoint=endpoint)
        self.message_user(
            request,
            "New secrets made: open each endpoint to read its secret.",
            messages.WARNING,
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["event", "endpoint", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event", "endpoint"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    @admin.action(description="Send again (given-up deliveries)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued = sum(services.send_again(delivery=delivery) for delivery in queryset)
        self.message_user(request, f"{queued} deliveries queued again.")
