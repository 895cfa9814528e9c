"""The operating-report workflow, declared in one place: states, moves, who makes each. enterprises.services consults
this table (and nothing else) to allow a move; the pages and the API offer only the moves it allows.

    draft ──submit──▶ submitted ──verify──▶ verified (locked) ──correct──▶ a new version (draft); this one superseded
      ▲                   │
      └──── returned ◀────┘ return (with a comment)   returned ──submit──▶ submitted

Filers are the enterprise's own users and the operating company on its behalf; reviewers are staff (park staff for
their carriers' tenants).
"""

from __future__ import annotations

import dataclasses

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import REPORT_FILERS, STAFF_ROLES, Role, roles_of
from enterprises.choices import ReportStatus as S

FILERS = REPORT_FILERS
REVIEWERS = STAFF_ROLES


@dataclasses.dataclass(frozen=True)
class Move:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    needs_message: bool = False
    message_label: Promise | None = None
    style: str = "primary"


MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move("submit", _("Submit for verification"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, FILERS),
        Move("verify", _("Verify"), frozenset({S.SUBMITTED}), S.VERIFIED, REVIEWERS, style="success"),
        Move(
            "return", _("Return for correction"), frozenset({S.SUBMITTED}), S.RETURNED, REVIEWERS,
            needs_message=True, message_label=_("What the enterprise should correct (they will see this)"),
            style="danger",
        ),
        Move(
            "correct", _("Correct the verified figures"), frozenset({S.VERIFIED}), S.DRAFT, FILERS,
            needs_message=True, message_label=_("Reason for the correction"), style="secondary",
        ),
    )
}  # fmt: skip

# States in which the filer may edit the figures.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# States that count as filed: the enterprise has done its part.
FILED = frozenset({S.SUBMITTED, S.VERIFIED})


def may_by_role(move: Move, user) -> bool:
    return bool(roles_of(user) & move.roles)


def moves_from(status: str) -> list[Move]:
    return [move for move in MOVES.values() if status in move.sources]
