"""The vocabulary and checks shared by the permission matrices (tests/test_permission_matrix.py for parks,
enterprises/tests/test_permissions.py for enterprises).

A matrix tries every page and endpoint as every role and as an anonymous visitor, on the visitor's own object ("own")
and on another one ("other"). Its rules are rows of outcomes, one per visitor, built with `_row`; the checks below read
a response or a write's effect against the expected outcome. A matrix's "site" (what the tests work on: a carrier's
structure, an enterprise with its records) is its own; the helpers here take it as it comes.

The `visit` fixture (a client signed in as a role) lives in the root conftest.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role

ANONYMOUS = None
EVERYONE = [ANONYMOUS, *Role]
OWN, OTHER = "own", "other"

OK = "ok"
LOGIN = "sent to sign-in"
DENIED = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"


def _row(*outcomes: str) -> dict[Role | None, str]:
    """One outcome per visitor, in the order of EVERYONE: anonymous, then each role."""
    return dict(zip(EVERYONE, outcomes, strict=True))


def role_id(role: Role | None) -> str:
    return "anonymous" if role is None else role.value


# --- Responses ----------------------------------------------------------------------------------------------------


def assert_page(response, outcome: str) -> None:
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == {OK: 200, DENIED: 403, NOT_FOUND: 404}[outcome]


def assert_form_post(response, outcome: str) -> None:
    """A successful form post redirects (not to the sign-in page); a refused one answers as the page would."""
    if outcome == OK:
        form = response.context.get("form") if response.context else None
        assert response.status_code == 302, form.errors if form is not None else "a successful form post redirects"
        assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert_page(response, outcome)


def assert_api_refused(response, outcome: str) -> None:
    if outcome == LOGIN:
        assert response.status_code in (401, 403)
    else:
        expected = {DENIED: 403, NOT_FOUND: 404, NOT_ALLOWED: 405}[outcome]
        assert response.status_code == expected, response.content.decode()


# --- Writes and their effect --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ApiWrite:
    """One API write: `method` on the `basename` routes with `payload(site)` as its JSON body.

    `target` is the object whose pk the detail URL takes: the name of a site attribute, or a function of the site;
    None for the list route (create). `probe(site)` reads what the write changes; `rules[where][role]` is the outcome.
    """

    basename: str
    method: str
    target: str | Callable[[Any], Any] | None
    payload: Callable[[Any], dict]
    probe: Callable[[Any], Any]
    rules: dict[str, dict]

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.basename}"

    @property
    def success_status(self) -> int:
        return {"post": 201, "put": 200, "patch": 200, "delete": 204}[self.method]

    def url(self, site: Any) -> str:
        if self.target is None:
            return reverse(f"{self.basename}-list")
        obj = getattr(site, self.target) if isinstance(self.target, str) else self.target(site)
        return reverse(f"{self.basename}-detail", args=[obj.pk])


def assert_api_write(response, write: ApiWrite, outcome: str) -> None:
    if outcome == OK:
        assert response.status_code == write.success_status, response.content.decode()
    else:
        assert_api_refused(response, outcome)


def last_event_id() -> int:
    """The newest audit event's id (0 when there is none). The trail is append-only, so what a write records is
    exactly the events past this id."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def assert_effect(
    *, outcome: str, probe: Callable[[Any], Any], site: Any, before: Any, events_before: int, actor
) -> None:
    """A successful write changes the probed value and records one audit event by the actor; a refused one changes
    neither. `before` is the probed value and `events_before` the last_event_id() read before the write."""
    after = probe(site)
    if outcome == OK:
        assert after != before, "the write succeeded but the row did not change"
        new_events = list(AuditEvent.objects.filter(id__gt=events_before))
        assert [event.actor for event in new_events] == [actor], "a write records exactly one audit event"
    else:
        assert after == before, "a refused write changed the row"
        assert not AuditEvent.objects.filter(id__gt=events_before).exists(), "a refused write recorded an audit event"
