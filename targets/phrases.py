"""The texts targets stores to show later, each under a code (see accounts.phrasebook): what the bureau is told
about progress-report runs."""

from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import define

RUN_READY_SUBJECT = define("report_run.ready.subject", _("Progress report ready: %(title)s"))
RUN_READY_BODY = define("report_run.ready.body", _("%(subtitle)s. Open it to download the HTML, PDF and XLSX files."))
RUN_FAILED_SUBJECT = define("report_run.failed.subject", _("Progress report failed: %(year)s, version %(version)s"))

# What a metric found or lacks (targets.metrics), kept with each evaluation's results.
NO_VERIFIED_REPORT = define("metrics.no_verified_report", _("No verified annual report for %(year)s."))
FIGURE_NOT_REPORTED = define("metrics.figure_not_reported", _("The %(year)s report gives no %(figure)s."))
FIGURE_OF_YEAR = define("metrics.figure_of_year", _("%(year)s: %(figure)s %(value)s."))
ZERO_DENOMINATOR = define(
    "metrics.zero_denominator", _("The %(figure)s of %(years)s add up to zero: the ratio cannot be computed.")
)
RATIO_FOUND = define(
    "metrics.ratio_found", _("%(years)s: %(numerator)s %(top)s / %(denominator)s %(bottom)s = %(value)s%%.")
)
IP_FOUND = define("metrics.ip_found", _("%(year)s: %(figures)s, %(value)s in all."))
NOT_REGISTERED = define("metrics.not_registered", _("A team, not registered as a company."))
A_COMPANY = define("metrics.a_company", _("A registered company."))
REGISTERED_SINCE = define("metrics.registered_since", _("Registered on %(date)s: %(age)s ago."))
MONTHS_AND_DAYS = define("metrics.months_and_days", _("%(months)s months and %(days)s days"))
NO_HIGH_TECH_FIELD = define("metrics.no_high_tech_field", _("The enterprise's profile names no high-tech field."))
HIGH_TECH_FIELD = define("metrics.high_tech_field", _("Field: %(field)s."))
NO_VALID_HTE = define("metrics.no_valid_hte", _("No valid high-tech enterprise certificate."))
VALID_HTE = define("metrics.valid_hte", _("Certificate %(number)s, valid until %(date)s."))
NOT_ON_RECORD = define("metrics.not_on_record", _("Not recorded in the portal: staff check the evidence."))
EXPERTS_ASSESS = define("metrics.experts_assess", _("Assessed by the recognition experts from the application."))
STAFF_CHECK = define("metrics.staff_check", _("Staff confirm it from the enterprise's declaration."))
# What must change to meet a threshold.
OVER_LIMIT = define("metrics.over_limit", _("%(excess)s over the limit."))
COUNT_SHORT = define("metrics.count_short", _("%(count)s more needed."))
POINTS_SHORT = define("metrics.points_short", _("%(points)s more points needed."))
RATIO_SHORT_MONEY = define(
    "metrics.ratio_short_money",
    _("%(value)s%% → needs %(threshold)s%%: %(more)s × 10k yuan more %(figure)s at the present figures."),
)
RATIO_SHORT_PEOPLE = define(
    "metrics.ratio_short_people",
    _("%(value)s%% → needs %(threshold)s%%: %(more)s more %(figure)s at the present headcount."),
)
# What the engine says of a result.
MET_BY_ROUTE = define("evaluation.met_by_route", _("Not needed: a direct route is met."))
SCORE_FOUND = define("evaluation.score_found", _("%(points)s points in all."))
SCORE_INCOMPLETE = define(
    "evaluation.score_incomplete", _("At least %(points)s points; the points of %(count)s parts are not known yet.")
)

# What a carrier's annual return's readers are told (targets.return_workflow).
RETURN_MOVED_SUBJECT = define("carrier_return.moved.subject", _("Annual return %(year)s of %(carrier)s: %(status)s"))
RETURN_TO_VERIFY_BODY = define(
    "carrier_return.to_verify.body", _("Please verify the return or send it back with a comment.")
)
RETURN_VERIFIED_BODY = define("carrier_return.verified.body", _("The return has been verified and is now locked."))
# The daily reminder to file a carrier's annual return (targets.services.return_reminders_send).
RETURN_REMINDER_SUBJECT = define(
    "carrier_return.reminder.subject", _("Please file the annual return %(year)s of %(carrier)s")
)
RETURN_REMINDER_DUE = define(
    "carrier_return.reminder.due",
    _("The annual return %(year)s of %(carrier)s is due on %(date)s, with the tenants' operating reports. Please "
      "file it in time."),
)  # fmt: skip
RETURN_REMINDER_OVERDUE = define(
    "carrier_return.reminder.overdue",
    _("The annual return %(year)s of %(carrier)s was due on %(date)s and is %(days)s days overdue: the Torch "
      "statistics leave its figures empty until it is verified. Please file it now."),
)  # fmt: skip
