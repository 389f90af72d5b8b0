"""Live chat: whether the caller may chat now about a product."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from supportal.accounts.models import Product
from supportal.chat.eligibility import check_eligibility

from .schemas import ErrorOut, ValidationErrorOut
from .security import caller

router = Router(tags=["chat"])


class ChatEligibilityQuery(Schema):
    product: str = Field(description="Product slug: pressero, edocbuilder, pjm or tflow.")


class ChatEligibilityOut(Schema):
    eligible: bool = Field(description="All conditions hold: the widget may start a chat.")
    plan_eligible: bool = Field(description="The organization's plan has chat included.")
    product_eligible: bool = Field(description="Live chat is offered for this product.")
    open_now: bool = Field(description="Within the organization's support hours.")
    agent_available: bool = Field(description="An agent is online with room for a chat.")
    reason: str | None = Field(description="Why not, in a sentence; null when eligible.")
    training_attended: bool = Field(
        description="The caller attended a training session for this product; required to "
        "chat when SUPPORTAL_TRAINING_REQUIREMENT is block (the default)."
    )


@router.get(
    "/chat/eligibility",
    response={200: ChatEligibilityOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="May the caller start a live chat about this product now?",
)
def chat_eligibility(request: HttpRequest, query: Query[ChatEligibilityQuery]) -> dict[str, Any]:
    product = Product.objects.filter(slug=query.product, active=True).first()
    if product is None:
        raise ValidationError(
            [{"loc": ["query", "product"], "msg": "Unknown product.", "type": "value_error"}]
        )
    return check_eligibility(user=caller(request), product=product).as_dict()
