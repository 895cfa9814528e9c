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
MET_BY_ALTERNATIVE = define("evaluation.met_by_alternative", _("Not needed: an alternative condition is met."))
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

# What a carrier's metric found or lacks (targets.carrier_metrics), and the gap to a threshold.
NO_VERIFIED_RETURN = define("carrier_metrics.no_verified_return", _("No verified annual return for %(year)s."))
NO_TENANTS_ON_DEC31 = define("carrier_metrics.no_tenants", _("No tenants on 31 December %(year)s."))
NO_AREA = define("carrier_metrics.no_area", _("No incubation area recorded: add the buildings and units."))
NO_OPERATOR_STAFF = define("carrier_metrics.no_operator_staff", _("The %(year)s return gives no operator's staff."))
NO_INCOME = define("carrier_metrics.no_income", _("The %(year)s return gives no income."))
RETURN_YEARS_FOUND = define(
    "carrier_metrics.return_years_found", _("%(years)s consecutive years of verified returns up to %(year)s.")
)
AREA_LET_FOUND = define("carrier_metrics.area_let_found", _("%(let)s m² of %(total)s m² let to tenants."))
TENANT_SHARE_FOUND = define("carrier_metrics.tenant_share_found", _("%(part)s of %(tenants)s tenants."))
STAFF_SHARE_FOUND = define("carrier_metrics.staff_share_found", _("%(part)s of %(staff)s staff."))
PER_TEN_FOUND = define("carrier_metrics.per_ten_found", _("%(count)s %(what)s for %(tenants)s tenants."))
GROWING_FOUND = define(
    "carrier_metrics.growing_found",
    _("%(part)s of %(tenants)s tenants; %(lacking)s lack a verified annual report of %(year)s or the year before and "
      "count as not growing."),
)  # fmt: skip
INCOME_FOUND = define(
    "carrier_metrics.income_found", _("%(other)s of %(total)s × 10k yuan from services, investment and the rest.")
)
CARRIER_COUNT_SHORT = define("carrier_metrics.count_short", _("%(what)s: %(count)s more needed."))
AREA_SHORT = define("carrier_metrics.area_short", _("%(area)s m² more needed."))
MONEY_SHORT = define("carrier_metrics.money_short", _("%(amount)s × 10k yuan more needed."))
SHARE_SHORT = define(
    "carrier_metrics.share_short",
    _("%(value)s%% → needs %(threshold)s%%: %(what)s, %(more)s more at the present figures."),
)
PER_TEN_SHORT = define(
    "carrier_metrics.per_ten_short", _("%(what)s %(have)s/%(needs)s: %(tenants)s tenants need %(needs)s.")
)
