"""Identity: bearer tokens and the caller's own profile."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import AuthenticationError

from supportal.accounts.models import User
from supportal.accounts.services import issue_api_token

from .schemas import ErrorOut, MeOut, TokenIn, TokenOut, ValidationErrorOut
from .security import caller

router = Router(tags=["identity"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Exchange an email and password for a bearer token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    token = issue_api_token(email=payload.email, password=payload.password)
    if token is None:
        raise AuthenticationError(message="Wrong email or password.")
    return {"token": token}


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The caller")
def me(request: HttpRequest) -> User:
    return caller(request)
