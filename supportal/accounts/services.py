from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.languages import speaking_to
from supportal.core.links import site_url
from supportal.core.locks import named_lock

from . import access, events, throttle, two_factor
from .credentials import issued_after_changes
from .models import (
    AccountEvent,
    ApiToken,
    Invitation,
    Organization,
    Plan,
    Product,
    SupportRegion,
    TrainingAttendance,
    User,
    hash_token,
)
from .sockets import recheck_sockets_of


def has_attended_training(user: User, product: Product | None = None) -> bool:
    """Staff need no training. A customer needs an attended session for ``product`` (the
    policy: "training participation for our products"); without a product, any session
    (the training page's greeting)."""
    if not user.is_customer:
        return True
    if product is None:
        if getattr(user, "_attended_training", False):
            return True
        attended = TrainingAttendance.objects.filter(user=user).exists()
        if attended:  # remembered once true: attendance is not taken back
            # attr-defined: declared by the login backend's annotate(), not on the model.
            user._attended_training = True  # type: ignore[attr-defined]
        return attended
    # Remembered on the instance (filing asks more than once); read again when the product
    # is not in it, since attendance may have been recorded since.
    if product.pk in getattr(user, "_trained_product_ids", ()):
        return True
    user._trained_product_ids = frozenset(
        TrainingAttendance.objects.filter(user=user).values_list("session__product_id", flat=True)
    )
    return product.pk in user._trained_product_ids


class OtpRequired(Exception):
    """The credentials are right but this user also needs a one-time code."""


def issue_api_token(
    *,
    email: str,
    password: str,
    request: HttpRequest | None = None,
    scope: str = ApiToken.Scope.WRITE,
    otp: str | None = None,
) -> str | None:
    """Return a new raw bearer token for valid credentials, or None.

    The attempt is throttled like a login (per email and per client address). A user with
    two-factor authentication also needs ``otp``: missing → ``OtpRequired``; wrong → None
    (and counted as a failed attempt)."""
    request = request if request is not None else HttpRequest()
    user = throttle.authenticate_throttled(request, email=email, password=password)
    if user is None or not user.is_active:
        return None
    if two_factor.second_factor_enabled(user):
        if not otp:
            raise OtpRequired()
        with named_lock(throttle.login_lock_name(user.email)):
            device = (
                two_factor.verify_code(user, otp) if two_factor.confirmed_device(user) else None
            )
        if device is None:
            throttle.record_failed_second_factor(request, user=user)
            return None
    throttle.reset_after_success(user=user)
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=settings.SUPPORTAL_API_TOKEN_DAYS),
    )
    return raw


def _live_tokens() -> QuerySet[ApiToken]:
    """Not expired, not revoked, and issued after every change that ended its user's
    credentials, to a user who is still active in an active organization (credentials)."""
    return ApiToken.objects.filter(
        issued_after_changes(issued_at="created_at"),
        expires_at__gt=timezone.now(),
        revoked_at__isnull=True,
    )


def token_for_raw(raw: str) -> ApiToken | None:
    """The live token with this raw key, or None."""
    if not raw:
        return None
    now = timezone.now()
    token = (
        _live_tokens()
        .select_related("user", "user__organization__plan")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(raw: str) -> User | None:
    token = token_for_raw(raw)
    return token.user if token else None


def revoke_api_token(*, token: ApiToken) -> None:
    """Stop a token from working, now and for good. Safe to call twice."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_tokens_of(user: User) -> QuerySet[ApiToken]:
    return _live_tokens().filter(user=user).order_by("-created_at")


def end_credentials(*, user_ids: list[int]) -> None:
    """End what these users were handed before now: revoke every API token, and have every
    open socket check its session again and close (after commit).

    Call it with the change that ended them (a new password, a deactivation). The token
    check refuses such tokens by itself (``credentials``); revoking shows it in the admin."""
    ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    transaction.on_commit(lambda: recheck_sockets_of(user_ids))


@transaction.atomic
def deactivate_organization(*, organization: Organization) -> None:
    """Nobody of the organization can log in; every session, token and socket of its
    people ends (the users stay active, for when it comes back)."""
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    end_credentials(user_ids=list(organization.users.values_list("pk", flat=True)))


def send_password_reset_mail(*, email: str) -> None:
    """Mail a reset link to the active account with this email, if there is one.

    The link is on the portal's public URL (``core.links``), never on the Host header of
    the request that asked: that header is the asker's to choose."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = site_url()
    parts = urlsplit(site)
    reader = (
        User.objects.select_related("support_region", "organization__support_region")
        .filter(email__iexact=email, is_active=True)
        .first()
    )
    with speaking_to(reader):  # the mail is in the language its reader chose
        form.save(
            subject_template_name="accounts/password_reset_subject.txt",
            email_template_name="accounts/password_reset_email.txt",
            domain_override=parts.netloc,
            use_https=parts.scheme == "https",
            extra_email_context={"site_url": site},
        )


# --- Organizations and their people -----------------------------------------------------


def _record(
    *,
    action: str,
    actor: User | None,
    organization: Organization | None,
    subject: User | None = None,
    data: dict[str, Any] | None = None,
) -> AccountEvent:
    return AccountEvent.objects.create(
        action=action, actor=actor, organization=organization, subject=subject, data=data or {}
    )


def create_organization(
    *,
    actor: User,
    name: str,
    slug: str,
    plan: Plan,
    products: list[Product],
    support_region: SupportRegion | None,
) -> Organization:
    """A new customer organization. Managers only; the slug must be free."""
    if not access.can_create_organizations(actor):
        raise NotPermitted(_("Only managers create organizations."))
    if Organization.objects.filter(slug=slug).exists():
        raise InvalidInput({"slug": _("Another organization already uses this short name.")})
    with transaction.atomic():
        organization = Organization.objects.create(
            name=name.strip(), slug=slug, plan=plan, support_region=support_region
        )
        organization.products.set(products)
        _record(
            action=AccountEvent.Action.ORGANIZATION_CREATED,
            actor=actor,
            organization=organization,
            data={"name": organization.name, "plan": plan.code},
        )
    return organization


def invite_user(
    *,
    actor: User,
    organization: Organization,
    email: str,
    name: str = "",
    role: str = User.Role.CUSTOMER,
) -> Invitation:
    """Mail an invitation to join ``organization`` (a single-use link that expires after
    SUPPORTAL_INVITATION_DAYS). The organization's customer admins and support staff may
    invite; an address that already has an account cannot be invited. A new invitation
    to the same address withdraws the earlier pending ones."""
    if not access.can_manage_people(actor, organization):
        raise NotPermitted(_("Only the organization's administrators invite people to it."))
    if role not in (User.Role.CUSTOMER, User.Role.CUSTOMER_ADMIN):
        raise InvalidInput({"role": _("Invite as a customer or a customer admin.")})
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput({"email": _("This address already has an account.")})
    now = timezone.now()
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at=None, revoked_at=None, expires_at__gt=now
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            name=name.strip(),
            role=role,
            token_hash=hash_token(raw),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=settings.SUPPORTAL_INVITATION_DAYS),
        )
        _record(
            action=AccountEvent.Action.INVITED,
            actor=actor,
            organization=organization,
            data={"email": email, "role": role},
        )
        events.invitation_created.send(sender=Invitation, invitation=invitation, raw_token=raw)
    return invitation


def revoke_invitation(*, actor: User, invitation: Invitation) -> bool:
    """Withdraw a pending invitation; its link stops working. False if it was no longer
    pending (accepted, expired or withdrawn already)."""
    if not access.can_manage_people(actor, invitation.organization):
        raise NotPermitted(_("Only the organization's administrators withdraw invitations."))
    now = timezone.now()
    with transaction.atomic():
        withdrawn = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=now
        ).update(revoked_at=now)
        if withdrawn:
            _record(
                action=AccountEvent.Action.INVITATION_REVOKED,
                actor=actor,
                organization=invitation.organization,
                data={"email": invitation.email},
            )
    return bool(withdrawn)


def pending_invitation_for(raw_token: str) -> Invitation | None:
    """The pending invitation whose link carries ``raw_token``, or None."""
    if not raw_token:
        return None
    return (
        Invitation.objects.select_related("organization")
        .filter(
            token_hash=hash_token(raw_token),
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def check_new_password(*, password: str, email: str, name: str) -> None:
    """The password policy (AUTH_PASSWORD_VALIDATORS) for a person not yet saved.
    Raises InvalidInput({"password1": ...})."""
    try:
        password_validation.validate_password(password, user=User(email=email, name=name))
    except ValidationError as exc:
        raise InvalidInput({"password1": " ".join(exc.messages)}) from None


def accept_invitation(*, raw_token: str, name: str, password: str) -> User:
    """Turn a pending invitation into an account with this password. The invitation is
    claimed with a conditional UPDATE, so of two acceptances at once only one creates the
    account; the other (and any later use of the link) gets RuleViolation("invalid")."""
    invitation = pending_invitation_for(raw_token)
    if invitation is None:
        raise RuleViolation("invalid", _("This invitation link is not valid any more."))
    name = name.strip() or invitation.name
    check_new_password(password=password, email=invitation.email, name=name)
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=now
        ).update(accepted_at=now)
        if claimed != 1:
            raise RuleViolation("invalid", _("This invitation link is not valid any more."))
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email,
                    password=password,
                    name=name,
                    role=invitation.role,
                    organization=invitation.organization,
                )
        except IntegrityError:
            raise RuleViolation(
                "exists", _("This address already has an account: log in instead.")
            ) from None
        Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
        _record(
            action=AccountEvent.Action.INVITATION_ACCEPTED,
            actor=user,
            organization=invitation.organization,
            subject=user,
            data={"email": user.email, "role": user.role},
        )
    return user


def deactivate_user(*, actor: User, user: User) -> bool:
    """Stop ``user`` from logging in: their sessions, API tokens and sockets end (and the
    tokens stay dead if the user is reactivated). A customer admin may deactivate people of
    their own organization, a manager anyone; nobody themselves. False when the user was
    inactive already."""
    if not access.can_change_activation(actor, user):
        raise NotPermitted(_("You cannot deactivate this person."))
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=True).update(
            is_active=False, credentials_changed_at=timezone.now()
        )
        if changed:
            end_credentials(user_ids=[user.pk])
            _record(
                action=AccountEvent.Action.DEACTIVATED,
                actor=actor,
                organization=user.organization,
                subject=user,
                data={"email": user.email},
            )
    user.is_active = False
    return bool(changed)


def reactivate_user(*, actor: User, user: User) -> bool:
    """Let a deactivated person log in again, with the password they had."""
    if not access.can_change_activation(actor, user):
        raise NotPermitted(_("You cannot reactivate this person."))
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
        if changed:
            _record(
                action=AccountEvent.Action.REACTIVATED,
                actor=actor,
                organization=user.organization,
                subject=user,
                data={"email": user.email},
            )
    user.is_active = True
    return bool(changed)
