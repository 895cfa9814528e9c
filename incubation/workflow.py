"""The application workflow, declared in one place on the engine (accounts.workflows): its states, the moves between
them, who may make each move, what each needs and what each causes. accounts.workflows.perform makes the moves; the
pages and the API offer only the moves accounts.workflows.offers allows.

    draft ──submit──▶ submitted ──start_screening──▶ screening ──send_to_review──▶ expert_review
                                          │               │                          │
                          request_more_info ◀─────────────┤                 close_review
                          (more_info ──respond──▶ screening)                         ▼
                                                          └──────to_decision──────▶ decision ──approve──▶ approved
                                                                                            └──reject───▶ rejected
    withdraw: by the applicant from any open state; reject at screening: by staff.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import APPLICANTS, GROUP_NAMES, STAFF_ROLES, Role, roles_of
from accounts.workflows import Audience, Context, Move, Notice, Party, Precondition, Workflow, declare
from enterprises.choices import DocumentKind
from incubation import phrases, rules
from incubation.choices import ADMISSION_RULES
from incubation.choices import ApplicationStatus as S
from incubation.models import Application, ApplicationEvent

APPLICANT = APPLICANTS
OPEN_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING, S.MORE_INFO, S.EXPERT_REVIEW, S.DECISION})
# States in which the applicant may edit the form and its documents.
EDITABLE = frozenset({S.DRAFT, S.MORE_INFO})
# States in which staff may assign experts, and in which experts may score.
ASSIGNABLE = frozenset({S.SCREENING, S.EXPERT_REVIEW})
SCORABLE = frozenset({S.EXPERT_REVIEW})
# What a submitted application must contain; a draft may lack any of it.
REQUIRED_TO_SUBMIT = (
    "project_name", "technology", "intellectual_property", "team", "market", "finances", "funding_needs",
    "requested_area", "requested_space_type",
)  # fmt: skip


# --- Parties ---------------------------------------------------------------------------------------------------


def _is_applicant(user, application: Application) -> bool:
    membership = getattr(user, "membership", None) if Role.ENTERPRISE in roles_of(user) else None
    return membership is not None and membership.enterprise_id == application.enterprise_id


APPLICANT_PARTY = Party("applicant", _is_applicant, _("Only the applicant can change the application."))
# The carrier's staff: staff roles, on an application the object scope lets them change (their carriers').
CARRIER_STAFF = Party("carrier_staff", lambda user, application: bool(roles_of(user) & STAFF_ROLES))


# --- Preconditions ---------------------------------------------------------------------------------------------


def application_problems(application: Application, context: Context | None = None) -> dict[str, list[str]]:
    """Everything that keeps the application from being submitted, by field, all at once."""
    problems: dict[str, list[str]] = {}
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = getattr(Application._meta.get_field(name), "verbose_name", name)
            problems.setdefault(name, []).append(gettext("Fill in “%(field)s”.") % {"field": label})
    if application.requested_area is not None and application.requested_area <= 0:
        problems.setdefault("requested_area", []).append(gettext("Enter the area of space you need, in m²."))
    if not application.documents.filter(kind=DocumentKind.BUSINESS_PLAN).exists():
        problems.setdefault("documents", []).append(gettext("Upload the business plan."))
    enterprise = application.enterprise
    if not (enterprise.contact_name and (enterprise.contact_phone or enterprise.contact_email)):
        problems.setdefault("enterprise", []).append(
            gettext("Complete the enterprise profile: a contact person with a phone number or email.")
        )
    return problems


COMPLETE = Precondition(
    "complete",
    _("Complete the application first."),
    holds=lambda application, context: not application_problems(application),
    problems=application_problems,
    previewed=False,  # the page lists the problems itself, and submitting shows them all at once
)
EXPERT_ASSIGNED = Precondition(
    "expert_assigned",
    _("Assign at least one expert before sending the application to review."),
    holds=lambda application, context: application.reviews.exists(),
)
REVIEWS_IN = Precondition(
    "reviews_in",
    _("Some experts have not submitted their scores; wait for them or remove their assignment."),
    holds=lambda application, context: not application.reviews.filter(submitted_at__isnull=True).exists(),
)


# --- Effects -----------------------------------------------------------------------------------------------------


def keep_screening_results(application: Application, context: Context) -> dict:
    """Keep the admission criteria as evaluated when screening ends (the screening page shows them live); asking
    for more material does not end screening."""
    if context.before == S.SCREENING:
        stage_rules = ADMISSION_RULES[application.stage]
        evaluation = rules.evaluate(stage_rules, application.enterprise, timezone.localdate())
        application.screening_rule_set = evaluation.rule_set
        application.screening_results = [result.as_dict() for result in evaluation.results]
    return {}


def stamp_submitted(application: Application, context: Context) -> dict:
    application.submitted_at = context.now
    return {}


def stamp_decision(application: Application, context: Context) -> dict:
    application.decided_at = context.now
    application.decision_reason = context.message
    return {}


# --- Timeline and announcements -----------------------------------------------------------------------------------


def log_event(application: Application, context: Context) -> None:
    ApplicationEvent.objects.create(
        application=application, action=context.move.name, from_status=context.before,
        to_status=application.status, message=context.message, by=context.by,
    )  # fmt: skip


def _notice(application: Application, context: Context) -> Notice:
    status = S(application.status)
    subject = phrases.APPLICATION_MOVED_SUBJECT(
        number=application.pk, enterprise=application.enterprise.name, status=status
    )
    body = context.message or phrases.APPLICATION_MOVED_BODY(status=status)
    return Notice(subject, body, reverse("incubation:application_detail", args=[application.pk]))


AUDIENCES = {
    # The applicant (email and in-portal notice), when staff move their application.
    "applicant": Audience(
        lambda application, context: User.objects.filter(membership__enterprise=application.enterprise, is_active=True),
        _notice,
    ),
    # The carrier's staff and the operating company, when the applicant submits, answers or withdraws.
    "carrier_staff": Audience(
        lambda application, context: (
            User.objects.filter(is_active=True)
            .filter(Q(managed_carriers=application.carrier) | Q(groups__name=GROUP_NAMES[Role.OPERATOR]))
            .distinct()
        ),
        _notice,
    ),
}


# --- The moves ---------------------------------------------------------------------------------------------------

DECISION_REASON = _("Reason for the decision (the applicant will see this)")

MOVES: dict[str, Move] = declare(
    Move(
        "submit", _("Submit"), frozenset({S.DRAFT}), S.SUBMITTED, APPLICANT, APPLICANT_PARTY,
        preconditions=(COMPLETE,), effects=(stamp_submitted,), tells=("carrier_staff",),
        summary="Submit a draft (applicant)",
    ),
    Move(
        "respond", _("Send the requested material"), frozenset({S.MORE_INFO}), S.SCREENING, APPLICANT,
        APPLICANT_PARTY, message_label=_("Your reply to the staff (optional)"), preconditions=(COMPLETE,),
        tells=("carrier_staff",), summary="Send requested material (applicant)",
    ),
    Move(
        "withdraw", _("Withdraw the application"), OPEN_STATES - {S.DRAFT}, S.WITHDRAWN, APPLICANT,
        APPLICANT_PARTY, message_label=_("Why you withdraw (optional)"), effects=(keep_screening_results,),
        tells=("carrier_staff",), style="danger", summary="Withdraw (applicant)",
    ),
    Move(
        "start_screening", _("Start screening"), frozenset({S.SUBMITTED}), S.SCREENING, STAFF_ROLES,
        CARRIER_STAFF, tells=("applicant",), summary="Start screening (staff)",
    ),
    Move(
        "request_more_info", _("Request more material"), frozenset({S.SUBMITTED, S.SCREENING, S.EXPERT_REVIEW}),
        S.MORE_INFO, STAFF_ROLES, CARRIER_STAFF, needs_message=True,
        message_label=_("What the applicant should add (they will see this)"), tells=("applicant",),
        style="secondary", summary="Request more material (staff)",
    ),
    Move(
        "send_to_review", _("Send to expert review"), frozenset({S.SCREENING}), S.EXPERT_REVIEW, STAFF_ROLES,
        CARRIER_STAFF, preconditions=(EXPERT_ASSIGNED,), effects=(keep_screening_results,), tells=("applicant",),
        summary="Send to expert review (staff)",
    ),
    Move(
        "to_decision", _("Proceed to decision without expert review"), frozenset({S.SCREENING}), S.DECISION,
        STAFF_ROLES, CARRIER_STAFF, effects=(keep_screening_results,), style="secondary",
        summary="Proceed to decision without review (staff)",
    ),
    Move(
        "close_review", _("Close the review"), frozenset({S.EXPERT_REVIEW}), S.DECISION, STAFF_ROLES,
        CARRIER_STAFF, preconditions=(REVIEWS_IN,), summary="Close the expert review (staff)",
    ),
    Move(
        "approve", _("Approve"), frozenset({S.DECISION}), S.APPROVED, STAFF_ROLES, CARRIER_STAFF,
        needs_message=True, message_label=DECISION_REASON, effects=(stamp_decision,), tells=("applicant",),
        summary="Approve, with the reason (staff)",
    ),
    Move(
        "reject", _("Reject"), frozenset({S.SUBMITTED, S.SCREENING, S.DECISION}), S.REJECTED, STAFF_ROLES,
        CARRIER_STAFF, needs_message=True, message_label=DECISION_REASON,
        effects=(keep_screening_results, stamp_decision), tells=("applicant",), style="danger",
        summary="Reject, with the reason (staff)",
    ),
)  # fmt: skip


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("enterprise", "carrier")
        .get(pk=application.pk)
    )


def _moved_on(application: Application, move: Move) -> str:
    return gettext(
        "The application is now “%(status)s”, so “%(action)s” no longer applies: someone may have acted on it a "
        "moment ago. Reload the page to see its current state."
    ) % {"status": application.get_status_display(), "action": move.label}


APPLICATION_WORKFLOW = Workflow(
    name="application",
    model=Application,
    states=S,
    moves=MOVES,
    lock=_locked,
    moved_on=_moved_on,
    timeline=log_event,
    audiences=AUDIENCES,
)


def moves_from(status: str) -> list[Move]:
    return APPLICATION_WORKFLOW.moves_from(status)
