"""The application workflow, declared in one place: its states, the moves between them, who may make each move,
and what each move needs. incubation.services.application_act consults this table (and nothing else) to allow a
move; the pages and the API offer only the moves it allows.

    draft ──submit──▶ submitted ──start_screening──▶ screening ──send_to_review──▶ expert_review
                                          │               │                          │
                          request_more_info ◀─────────────┤                 close_review
                          (more_info ──respond──▶ screening)                         ▼
                                                          └──────to_decision──────▶ decision ──approve──▶ approved
                                                                                            └──reject───▶ rejected
    withdraw: by the applicant from any open state; reject at screening: by staff.
"""

from __future__ import annotations

import dataclasses

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import APPLICANTS, STAFF_ROLES, Role, roles_of
from incubation.choices import ApplicationStatus as S


@dataclasses.dataclass(frozen=True)
class Move:
    """One allowed move: from any of `sources` to `target`, by a user holding one of `roles` (the applicant's
    moves are by members of the applying enterprise; staff moves by staff of the carrier applied to)."""

    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    needs_message: bool = False
    message_label: Promise | None = None
    style: str = "primary"  # how the page shows the button: primary, secondary, danger

    @property
    def missing_message_error(self) -> str:
        """What a staff member is told when the required message is missing, naming the field they see."""
        label = self.message_label or _("message")
        return gettext("“%(field)s” is required.") % {"field": label}


APPLICANT = APPLICANTS
OPEN_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING, S.MORE_INFO, S.EXPERT_REVIEW, S.DECISION})

MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move("submit", _("Submit"), frozenset({S.DRAFT}), S.SUBMITTED, APPLICANT),
        Move(
            "respond", _("Send the requested material"), frozenset({S.MORE_INFO}), S.SCREENING, APPLICANT,
            message_label=_("Your reply to the staff (optional)"),
        ),
        Move(
            "withdraw", _("Withdraw the application"), OPEN_STATES - {S.DRAFT}, S.WITHDRAWN, APPLICANT,
            message_label=_("Why you withdraw (optional)"), style="danger",
        ),
        Move("start_screening", _("Start screening"), frozenset({S.SUBMITTED}), S.SCREENING, STAFF_ROLES),
        Move(
            "request_more_info", _("Request more material"), frozenset({S.SUBMITTED, S.SCREENING, S.EXPERT_REVIEW}),
            S.MORE_INFO, STAFF_ROLES, needs_message=True,
            message_label=_("What the applicant should add (they will see this)"), style="secondary",
        ),
        Move(
            "send_to_review", _("Send to expert review"), frozenset({S.SCREENING}), S.EXPERT_REVIEW, STAFF_ROLES
        ),
        Move(
            "to_decision", _("Proceed to decision without expert review"), frozenset({S.SCREENING}), S.DECISION,
            STAFF_ROLES, style="secondary",
        ),
        Move("close_review", _("Close the review"), frozenset({S.EXPERT_REVIEW}), S.DECISION, STAFF_ROLES),
        Move(
            "approve", _("Approve"), frozenset({S.DECISION}), S.APPROVED, STAFF_ROLES, needs_message=True,
            message_label=_("Reason for the decision (the applicant will see this)"),
        ),
        Move(
            "reject", _("Reject"), frozenset({S.SUBMITTED, S.SCREENING, S.DECISION}), S.REJECTED, STAFF_ROLES,
            needs_message=True, message_label=_("Reason for the decision (the applicant will see this)"),
            style="danger",
        ),
    )
}  # fmt: skip

# Moves that decide the application: the applicant is told by email and in the portal.
DECISIONS = frozenset({"approve", "reject"})
# Moves after which the applicant is told (decisions, and requests addressed to them).
APPLICANT_IS_TOLD = frozenset({"start_screening", "request_more_info", "send_to_review", "approve", "reject"})
# Moves after which the carrier's staff are told.
STAFF_ARE_TOLD = frozenset({"submit", "respond", "withdraw"})
# States in which the applicant may edit the form and its documents.
EDITABLE = frozenset({S.DRAFT, S.MORE_INFO})
# States in which staff may assign experts, and in which experts may score.
ASSIGNABLE = frozenset({S.SCREENING, S.EXPERT_REVIEW})
SCORABLE = frozenset({S.EXPERT_REVIEW})


def may_by_role(move: Move, user) -> bool:
    return bool(roles_of(user) & move.roles)


def moves_from(status: str) -> list[Move]:
    return [move for move in MOVES.values() if status in move.sources]
