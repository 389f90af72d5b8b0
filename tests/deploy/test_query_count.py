"""The bench-only X-Query-Count header: on when asked for, and counts every query."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from supportal.core.query_count import QueryCountMiddleware


@pytest.mark.django_db
def test_header_counts_the_queries_of_the_request():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))

    assert response["X-Query-Count"] == "2"


@pytest.mark.django_db
def test_counting_stops_after_the_request():
    QueryCountMiddleware(lambda request: HttpResponse())(RequestFactory().get("/"))

    assert connection.execute_wrappers == []


def test_middleware_is_off_unless_asked_for(settings):
    assert "supportal.core.query_count.QueryCountMiddleware" not in settings.MIDDLEWARE
