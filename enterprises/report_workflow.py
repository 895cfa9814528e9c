"""The operating-report workflow, declared in one place on the engine (accounts.workflows): states, moves, who makes
each, what each needs and causes. accounts.workflows.perform makes the moves; the pages and the API offer only the
moves accounts.workflows.offers allows.

    draft ──submit──▶ submitted ──verify──▶ verified (locked) ──correct──▶ a new version (draft); this one superseded
      ▲                   │
      └──── returned ◀────┘ return (with a comment)   returned ──submit──▶ submitted

Filers are the enterprise's own users and the operating company on its behalf; reviewers are staff (park staff for
their carriers' tenants).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditAction, User
from accounts.phrasebook import Phrase
from accounts.roles import GROUP_NAMES, OPERATING_ROLES, REPORT_FILERS, STAFF_ROLES, Role, roles_of
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
from enterprises import phrases
from enterprises.choices import ReportPeriod
from enterprises.choices import ReportStatus as S
from enterprises.models import OperatingReport
from enterprises.report_rules import REPORT_FIGURES, report_problems, save_report

FILERS = REPORT_FILERS
REVIEWERS = STAFF_ROLES
# States in which the filer may edit the figures.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# States that count as filed: the enterprise has done its part.
FILED = frozenset({S.SUBMITTED, S.VERIFIED})


def is_filer(user, report: OperatingReport) -> bool:
    """The enterprise's own users, or the operating company on its behalf."""
    roles = roles_of(user)
    if roles & OPERATING_ROLES:
        return True
    membership = getattr(user, "membership", None) if Role.ENTERPRISE in roles else None
    return membership is not None and membership.enterprise_id == report.enterprise_id


FILER = Party("filer", is_filer, _("Only the enterprise's own users or the operating company file its reports."))
REVIEWER = Party("reviewer", lambda user, report: bool(roles_of(user) & REVIEWERS))

FIGURES_IN_ORDER = Precondition(
    "figures_in_order",
    _("Correct the figures first."),
    holds=lambda report, context: not _figure_problems(report, context),
    problems=lambda report, context: _figure_problems(report, context),
    previewed=False,  # the form refuses such figures already; this guards a report saved before a rule changed
)


def _figure_problems(report: OperatingReport, context: Context | None) -> dict[str, list[str]]:
    figures = {name: getattr(report, name) for name in REPORT_FIGURES}
    today = (context.params.get("today") if context else None) or timezone.localdate()
    return report_problems(figures=figures, year=report.year, period=report.period, today=today)


def stamp_submitted(report: OperatingReport, context: Context) -> dict:
    report.submitted_at, report.submitted_by = context.now, context.by
    return {}


def stamp_verified(report: OperatingReport, context: Context) -> dict:
    report.verified_at, report.verified_by = context.now, context.by
    return {}


def keep_staff_comment(report: OperatingReport, context: Context) -> dict:
    before, report.staff_comment = report.staff_comment, context.message
    return {"staff_comment": [before, context.message]}


def new_version(report: OperatingReport, context: Context) -> Outcome:
    """A new version (a draft with the same figures) that supersedes the verified one, with the old row locked. It
    goes through submit and verify again."""
    before = report.status
    report.status = S.SUPERSEDED
    report.save(update_fields=["status", "updated_at"])
    latest = (
        OperatingReport.objects.filter(enterprise=report.enterprise, year=report.year, period=report.period)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    correction = OperatingReport(
        enterprise=report.enterprise, year=report.year, period=report.period, version=(latest or report.version) + 1,
        supersedes=report, correction_reason=context.message, created_by=context.by,
        **{name: getattr(report, name) for name in REPORT_FIGURES},
    )  # fmt: skip
    save_report(correction)
    return Outcome(
        result=correction,
        audit=(
            AuditEntry(AuditAction.UPDATE, report, {"status": [before, report.status]}),
            AuditEntry(AuditAction.CREATE, correction, {
                "supersedes": [None, str(report)], "correction_reason": [None, context.message],
                "version": [None, correction.version],
            }),
        ),
    )  # fmt: skip


def _link(report: OperatingReport) -> str:
    return reverse("enterprises:report_detail", args=[report.pk])


def _subject(report: OperatingReport) -> Phrase:
    period = phrases.REPORT_PERIOD(year=report.year, period=ReportPeriod(report.period))
    return phrases.REPORT_MOVED_SUBJECT(period=period, enterprise=report.enterprise.name, status=S(report.status))


def _members_notice(report: OperatingReport, context: Context) -> Notice:
    return Notice(_subject(report), context.message or phrases.REPORT_VERIFIED_BODY(), _link(report))


def _reviewers_notice(report: OperatingReport, context: Context) -> Notice:
    return Notice(_subject(report), phrases.REPORT_TO_VERIFY_BODY(), _link(report))


def _reviewers(report: OperatingReport, context: Context):
    """The operating company and the staff of the carriers the enterprise is (or was) a tenant of."""
    carriers = report.enterprise.residencies.values("carrier_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(managed_carriers__in=carriers) | Q(groups__name=GROUP_NAMES[Role.OPERATOR]))
        .distinct()
        .exclude(pk=context.by.pk)
    )


AUDIENCES = {
    # The enterprise's users learn that their report was verified or returned (with the comment).
    "enterprise": Audience(
        lambda report, context: User.objects.filter(membership__enterprise=report.enterprise, is_active=True),
        _members_notice,
    ),
    # The reviewers of a submitted report learn that it awaits them.
    "reviewers": Audience(_reviewers, _reviewers_notice),
}

MOVES: dict[str, Move] = declare(
    Move(
        "submit", _("Submit for verification"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, FILERS, FILER,
        preconditions=(FIGURES_IN_ORDER,), effects=(stamp_submitted,), tells=("reviewers",),
        summary="Submit for verification (filer)",
    ),
    Move(
        "verify", _("Verify"), frozenset({S.SUBMITTED}), S.VERIFIED, REVIEWERS, REVIEWER,
        effects=(stamp_verified,), tells=("enterprise",), style="success", summary="Verify and lock (staff)",
    ),
    Move(
        "return", _("Return for correction"), frozenset({S.SUBMITTED}), S.RETURNED, REVIEWERS, REVIEWER,
        needs_message=True, message_label=_("What the enterprise should correct (they will see this)"),
        message_field="comment", missing_message=_("Write a comment: the enterprise will read it."),
        effects=(keep_staff_comment,), tells=("enterprise",), style="danger", summary="Return with a comment",
    ),
    Move(
        "correct", _("Correct the verified figures"), frozenset({S.VERIFIED}), S.DRAFT, FILERS, FILER,
        needs_message=True, message_label=_("Reason for the correction"), message_field="reason",
        missing_message=_("Write the reason: it is kept with the report."), transition=new_version, creates=True,
        style="secondary", summary="Correct verified figures: a new version (filer)",
    ),
)  # fmt: skip


def _locked(report: OperatingReport) -> OperatingReport:
    return OperatingReport.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=report.pk)


def _moved_on(report: OperatingReport, move: Move) -> str:
    return gettext(
        "The report is now “%(status)s”, so “%(action)s” no longer applies: someone may have acted on it a moment "
        "ago. Reload the page to see its current state."
    ) % {"status": report.get_status_display(), "action": move.label}


REPORT_WORKFLOW = Workflow(
    name="operating_report",
    model=OperatingReport,
    states=S,
    moves=MOVES,
    lock=_locked,
    moved_on=_moved_on,
    save=save_report,
    audit_message=False,
    audiences=AUDIENCES,
)


def moves_from(status: str) -> list[Move]:
    return REPORT_WORKFLOW.moves_from(status)
