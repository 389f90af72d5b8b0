"""accounts.middleware.SignedInUserMiddleware: a request carries its signed-in user, read
once when it arrives, or the anonymous user when its session holds none."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from supportal.accounts.middleware import SignedInUserMiddleware
from supportal.accounts.models import User

pytestmark = pytest.mark.django_db


def _through_middleware(request: HttpRequest) -> HttpRequest:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    SessionMiddleware(view).process_request(request)
    SignedInUserMiddleware(view).process_request(request)
    return request


def _request_of(client) -> HttpRequest:
    """A request bearing the session cookie of ``client``."""
    request = RequestFactory().get("/")
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    return request


def test_signed_in_request_carries_the_user_with_what_every_page_reads(
    client, demo, django_assert_num_queries
):
    plan_code = demo.bob.organization.plan.code  # read first: not counted below
    region = demo.bob.organization.support_region
    client.force_login(demo.bob)
    request = _through_middleware(_request_of(client))
    assert type(request.user) is User  # the user itself, not a wrapper read later
    with django_assert_num_queries(0):  # read with the user when the request arrived
        assert request.user.pk == demo.bob.pk
        assert request.user.organization.plan.code == plan_code
        assert request.user.organization.support_region == region


def test_request_without_a_session_is_anonymous_and_reads_no_user(demo, django_assert_num_queries):
    with django_assert_num_queries(0):
        request = _through_middleware(RequestFactory().get("/"))
    assert isinstance(request.user, AnonymousUser)


def test_session_of_a_deactivated_user_is_anonymous(client, demo):
    client.force_login(demo.bob)
    User.objects.filter(pk=demo.bob.pk).update(is_active=False)
    request = _through_middleware(_request_of(client))
    assert not request.user.is_authenticated


def test_session_after_a_password_change_elsewhere_is_anonymous(client, demo):
    """Django's session check stands: a new password ends the other sessions."""
    client.force_login(demo.bob)
    bob = User.objects.get(pk=demo.bob.pk)
    bob.set_password("another long passphrase 42")
    bob.save()
    request = _through_middleware(_request_of(client))
    assert not request.user.is_authenticated
