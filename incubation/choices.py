from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidencyEndReason(models.TextChoices):
    """Why a residency closed. Promotions and transfers open the next residency in the same transaction."""

    PROMOTED = "promoted", _("Promoted to the next stage")
    TRANSFERRED = "transferred", _("Transferred to another carrier")
    GRADUATED = "graduated", _("Graduated")
    EXITED_VOLUNTARY = "exited_voluntary", _("Left voluntarily")
    EXITED_REMOVED = "exited_removed", _("Removed")


class RuleSetKind(models.TextChoices):
    """What a rule set decides. Each kind has its versions; the one in force on a date is the latest effective."""

    SEEDBED_ADMISSION = "seedbed_admission", _("Admission to a seedbed")
    INCUBATOR_ADMISSION = "incubator_admission", _("Admission to an incubator")
    ACCELERATOR_ADMISSION = "accelerator_admission", _("Admission to an accelerator")
    INDUSTRIAL_PARK_ADMISSION = "industrial_park_admission", _("Admission to an industrial park")
    GRADUATION = "graduation", _("Graduation")
    INCUBATION_PERIOD = "incubation_period", _("Incubation period")
    REVIEW_SCORING = "review_scoring", _("Expert review scoring")
    TARGET_COUNTING = "target_counting", _("Counting toward the targets")


class Combination(models.TextChoices):
    ALL = "all", _("all criteria must be met")
    ANY = "any", _("any one criterion suffices")


class TransitionKind(models.TextChoices):
    PROMOTE = "promote", _("Promotion")
    TRANSFER = "transfer", _("Transfer")
    GRADUATE = "graduate", _("Graduation")
    EXIT = "exit", _("Exit")


class ResidencyState(models.TextChoices):
    """A residency's state in the pipeline (incubation.residency_workflow): open until a move ends it."""

    OPEN = "open", _("In residence")
    ENDED = "ended", _("Ended")


class SpaceOutcome(models.TextChoices):
    """What a pipeline move did with the tenant's space (its running allocations)."""

    KEPT = "kept", _("Kept: the same units, for the new residency")
    ENDED = "ended", _("Ended on the date of the move")


class CriterionStatus(models.TextChoices):
    MET = "met", _("met")
    UNMET = "unmet", _("not met")
    UNKNOWN = "unknown", _("unknown")


# The stage a residency is admitted to -> the rule set that decides it.
ADMISSION_RULES = {
    "seedbed": RuleSetKind.SEEDBED_ADMISSION,
    "incubator": RuleSetKind.INCUBATOR_ADMISSION,
    "accelerator": RuleSetKind.ACCELERATOR_ADMISSION,
    "industrial_park": RuleSetKind.INDUSTRIAL_PARK_ADMISSION,
}


class ApplicationStatus(models.TextChoices):
    """The states of an application; incubation.workflow says which moves between them are allowed, and to whom."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    MORE_INFO = "more_info", _("More information requested")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    DECISION = "decision", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An enterprise has at most one application in these states for the same carrier and stage.
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.MORE_INFO,
    ApplicationStatus.EXPERT_REVIEW,
    ApplicationStatus.DECISION,
)


# The criteria an expert scores, by the code a rubric and a review's scores use.
SCORING_NAMES = {
    "score_technology": _("Technology and innovation"),
    "score_team": _("Team"),
    "score_market": _("Market prospects"),
    "score_business_model": _("Business model"),
    "score_focus_fit": _("Fit with the carrier's focus fields"),
}
