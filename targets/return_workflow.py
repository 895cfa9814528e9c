"""The carrier's annual return (载体年报) workflow, declared on the engine (accounts.workflows), the operating report's
life applied to a carrier's year:

    draft ──submit──▶ submitted ──verify──▶ verified (locked) ──correct──▶ a new version (draft); this one superseded
      ▲                   │
      └──── returned ◀────┘ return (with a comment)   returned ──submit──▶ submitted

Filers are the carrier's staff (park staff for their own carriers) and the operating company; the operating company
verifies. Submitting freezes the figures the portal computed for the year beside those entered by hand.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditAction, User
from accounts.roles import GROUP_NAMES, OPERATING_ROLES, STAFF_ROLES, Role
from accounts.workflows import (
    Audience,
    AuditEntry,
    Context,
    Move,
    Notice,
    Outcome,
    Party,
    Precondition,
    Workflow,
    declare,
)
from enterprises.choices import ReportStatus as S
from targets import phrases
from targets.models import CarrierReturn
from targets.return_rules import RETURN_FIGURES, portal_figures, return_problems, save_return

FILERS = STAFF_ROLES
# A return counts as filed once submitted (the reminders stop); returned for correction, it is due again.
FILED = frozenset({S.SUBMITTED, S.VERIFIED})
REVIEWERS = OPERATING_ROLES

FILER = Party(
    "filer", lambda user, carrier_return: True,  # the scope (park staff: their carriers) already decided
    _("Only the carrier's staff or the operating company file its annual return."),
)  # fmt: skip
REVIEWER = Party("reviewer", lambda user, carrier_return: True)


def _problems_on_submit(carrier_return: CarrierReturn, context: Context | None) -> dict[str, list[str]]:
    figures = {name: getattr(carrier_return, name) for name in RETURN_FIGURES}
    today = (context.params.get("today") if context else None) or timezone.localdate()
    computed = portal_figures(carrier=carrier_return.carrier, year=carrier_return.year)
    if context is not None:
        context.made["portal_figures"] = computed  # frozen by the move's effect, not computed twice
    tenants = computed["tenants"]
    return return_problems(figures=figures, year=carrier_return.year, today=today, complete=True, tenants=tenants)


COMPLETE = Precondition(
    "complete",
    _("Enter every figure first (0 if there is none)."),
    holds=lambda carrier_return, context: not _problems_on_submit(carrier_return, context),
    problems=lambda carrier_return, context: _problems_on_submit(carrier_return, context),
    previewed=False,  # the page lists what is missing itself; this refuses a submission that lacks any figure
)


def freeze_portal_figures(carrier_return: CarrierReturn, context: Context) -> dict:
    """Submitting freezes what the portal knew of the year then, and who submitted."""
    carrier_return.portal_figures = context.made.get("portal_figures") or portal_figures(
        carrier=carrier_return.carrier, year=carrier_return.year
    )
    carrier_return.submitted_at, carrier_return.submitted_by = context.now, context.by
    return {"portal_figures": [None, carrier_return.portal_figures]}


def stamp_verified(carrier_return: CarrierReturn, context: Context) -> dict:
    carrier_return.verified_at, carrier_return.verified_by = context.now, context.by
    return {}


def keep_comment(carrier_return: CarrierReturn, context: Context) -> dict:
    before, carrier_return.staff_comment = carrier_return.staff_comment, context.message
    return {"staff_comment": [before, context.message]}


def new_version(carrier_return: CarrierReturn, context: Context) -> Outcome:
    """A new version (a draft with the same figures) that supersedes the verified one, which stays locked."""
    before = carrier_return.status
    carrier_return.status = S.SUPERSEDED
    carrier_return.save(update_fields=["status", "updated_at"])
    latest = (
        CarrierReturn.objects.filter(carrier=carrier_return.carrier, year=carrier_return.year)
        .order_by("-version").values_list("version", flat=True).first()
    )  # fmt: skip
    correction = CarrierReturn(
        carrier=carrier_return.carrier, year=carrier_return.year, version=(latest or carrier_return.version) + 1,
        supersedes=carrier_return, correction_reason=context.message, created_by=context.by,
        **{name: getattr(carrier_return, name) for name in RETURN_FIGURES},
    )  # fmt: skip
    save_return(correction)
    return Outcome(
        result=correction,
        audit=(
            AuditEntry(AuditAction.UPDATE, carrier_return, {"status": [before, carrier_return.status]}),
            AuditEntry(AuditAction.CREATE, correction, {
                "supersedes": [None, str(carrier_return)], "correction_reason": [None, context.message],
                "version": [None, correction.version],
            }),
        ),
    )  # fmt: skip


def _notice(body):
    def notice(carrier_return: CarrierReturn, context: Context) -> Notice:
        subject = phrases.RETURN_MOVED_SUBJECT(
            year=carrier_return.year, carrier=carrier_return.carrier.name, status=S(carrier_return.status)
        )
        link = reverse("targets:return_detail", args=[carrier_return.pk])
        return Notice(subject, context.message or body(), link)

    return notice


def _carrier_staff(carrier_return: CarrierReturn, context: Context):
    """The carrier's own staff and whoever submitted the return."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(managed_carriers=carrier_return.carrier_id) | Q(pk=carrier_return.submitted_by_id))
        .distinct()
        .exclude(pk=context.by.pk)
    )


def _reviewers(carrier_return: CarrierReturn, context: Context):
    return User.objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.OPERATOR]).exclude(pk=context.by.pk)


AUDIENCES = {
    "filers": Audience(_carrier_staff, _notice(phrases.RETURN_VERIFIED_BODY)),
    "reviewers": Audience(_reviewers, _notice(phrases.RETURN_TO_VERIFY_BODY)),
}

MOVES: dict[str, Move] = declare(
    Move(
        "submit", _("Submit for verification"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, FILERS, FILER,
        preconditions=(COMPLETE,), effects=(freeze_portal_figures,), tells=("reviewers",),
        summary="Submit for verification (the carrier's staff or the operating company)",
    ),
    Move(
        "verify", _("Verify"), frozenset({S.SUBMITTED}), S.VERIFIED, REVIEWERS, REVIEWER,
        effects=(stamp_verified,), tells=("filers",), style="success", summary="Verify and lock (operating company)",
    ),
    Move(
        "return", _("Return for correction"), frozenset({S.SUBMITTED}), S.RETURNED, REVIEWERS, REVIEWER,
        needs_message=True, message_label=_("What the carrier should correct (they will see this)"),
        message_field="comment", missing_message=_("Write a comment: the carrier's staff will read it."),
        effects=(keep_comment,), tells=("filers",), style="danger", summary="Return with a comment",
    ),
    Move(
        "correct", _("Correct the verified figures"), frozenset({S.VERIFIED}), S.DRAFT, FILERS, FILER,
        needs_message=True, message_label=_("Reason for the correction"), message_field="reason",
        missing_message=_("Write the reason: it is kept with the return."), transition=new_version, creates=True,
        style="secondary", summary="Correct verified figures: a new version",
    ),
)  # fmt: skip


def _locked(carrier_return: CarrierReturn) -> CarrierReturn:
    return CarrierReturn.objects.select_for_update(of=("self",)).select_related("carrier").get(pk=carrier_return.pk)


def _moved_on(carrier_return: CarrierReturn, move: Move) -> str:
    return gettext(
        "The return is now “%(status)s”, so “%(action)s” no longer applies: someone may have acted on it a moment "
        "ago. Reload the page to see its current state."
    ) % {"status": carrier_return.get_status_display(), "action": move.label}


RETURN_WORKFLOW = Workflow(
    name="carrier_return",
    model=CarrierReturn,
    states=S,
    moves=MOVES,
    lock=_locked,
    moved_on=_moved_on,
    save=save_return,
    audit_message=False,
    audiences=AUDIENCES,
)
