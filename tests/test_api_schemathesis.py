"""Schemathesis over the whole OpenAPI schema, as the operating company's staff and as an enterprise user: every
operation answers without a server error, with a status code the schema documents, and a body that conforms to it.

Bounded for CI (about two minutes for both roles): a few fuzzed examples per operation, derandomised (the same
cases every run), no shrinking, no deadline, no coverage phase (see CONFIG), against the WSGI app in process (the
test's database transaction, no live server). The data: the reference structure and the 2021 plan
(migrations), one user per role, and the enterprise user's enterprise with an application.

The checks: no server error, a documented status code and content type, a body and headers that conform to the
schema. Left out, on purpose: `ignored_auth` and the negative/positive data checks, which expect the generated
request's own credentials to decide (here every request carries the signed-in session, added by the test), and
`unsupported_method`, which expects 405 where the permission matrices want read-only roles refused with 403.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import Role
from enterprises.tests.factories import EnterpriseMembershipFactory
from incubation.tests.factories import ApplicationFactory

EXAMPLES_PER_OPERATION = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _openapi() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


# The coverage phase is off: it adds every boundary and every invalid variant of each parameter as explicit
# examples, which `max_examples` does not bound (some 12,000 cases per role against 616 from fuzzing: most of a
# 40-minute run). Fuzzing reaches every operation with EXAMPLES_PER_OPERATION derandomised cases, positive and
# negative; the settings below keep it from shrinking, timing out or reusing a database.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture(params=[Role.OPERATOR, Role.ENTERPRISE], ids=["operator", "enterprise"])
def signed_in(request, users, client):
    """The session and CSRF cookies (and header) of an operator or of an enterprise user with an enterprise."""
    user = users[request.param]
    membership = EnterpriseMembershipFactory(user=users[Role.ENTERPRISE])
    ApplicationFactory(enterprise=membership.enterprise, created_by=membership.user)
    client.force_login(user)
    token = _get_new_csrf_string()
    # As Django's test client does: the requests run inside the test's transaction, on its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        # Uncompressed answers: the checks read the body as it is (GZipMiddleware compresses when asked to).
        "headers": {"X-CSRFToken": token, "Accept-Encoding": "identity"},
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(case, signed_in):
    response = case.call(headers=signed_in["headers"], cookies=signed_in["cookies"])
    case.validate_response(response, checks=CHECKS)
