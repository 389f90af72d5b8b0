"""Identity: bearer tokens and the caller's own profile."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, ValidationError

from supportal.accounts.models import User
from supportal.accounts.services import OtpRequired, issue_api_token, revoke_api_token

from .schemas import ErrorOut, MeOut, TokenOut, ValidationErrorOut
from .security import caller, calling_token

router = Router(tags=["identity"])


class AuthTokenIn(Schema):
    email: str
    password: str
    otp: str | None = Field(
        None,
        description="The current code from the authenticator app; required for users with "
        "two-factor authentication (support staff).",
    )
    scope: Literal["read", "write"] = Field(
        "write", description="read: the token may only read (GET). write: the default."
    )


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Exchange an email and password (and one-time code) for a bearer token",
    description="Failed attempts are counted per email and per client address; past the "
    "limit the answer is 429 until the cool-off ends.",
)
def create_token(request: HttpRequest, payload: AuthTokenIn) -> dict[str, str]:
    try:
        token = issue_api_token(
            email=payload.email,
            password=payload.password,
            request=request,
            scope=payload.scope,
            otp=payload.otp,
        )
    except OtpRequired:
        raise ValidationError(
            [
                {
                    "loc": ["body", "payload", "otp"],
                    "msg": "This account uses two-factor authentication: send the current "
                    "code from the authenticator app as otp.",
                    "type": "missing",
                }
            ]
        ) from None
    if token is None:
        raise AuthenticationError(message="Wrong email or password.")
    return {"token": token}


@router.delete(
    "/auth/token",
    response={204: None, 401: ErrorOut},
    summary="Revoke the token this request is made with",
)
def delete_token(request: HttpRequest) -> Status[None]:
    revoke_api_token(token=calling_token(request))
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The caller")
def me(request: HttpRequest) -> User:
    return caller(request)
