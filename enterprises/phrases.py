"""The texts enterprises stores to show later, each under a code (see accounts.phrasebook): what enterprise users
and staff are told about registrations and operating reports."""

from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import define

REPORT_PERIOD = define("report.period", _("%(year)s %(period)s"))

ENTERPRISE_REGISTERED_SUBJECT = define("enterprise.registered.subject", _("New enterprise registered: %(name)s"))
ENTERPRISE_REGISTERED_BODY = define(
    "enterprise.registered.body",
    _("%(user)s (%(email)s) signed up and registered “%(name)s”. Please check its details."),
)

REMINDER_SUBJECT = define("report.reminder.subject", _("Please file the operating report for %(period)s"))
REMINDER_OVERDUE = define(
    "report.reminder.overdue",
    _("The operating report of %(enterprise)s for %(period)s was due on %(date)s and is %(days)s days overdue. "
      "Please file it now."),
)  # fmt: skip
REMINDER_DUE = define(
    "report.reminder.due",
    _("The operating report of %(enterprise)s for %(period)s is due on %(date)s. Please file it in time."),
)

REPORT_MOVED_SUBJECT = define("report.moved.subject", _("Operating report %(period)s of %(enterprise)s: %(status)s"))
REPORT_VERIFIED_BODY = define("report.verified.body", _("The report has been verified and is now locked."))
REPORT_TO_VERIFY_BODY = define("report.to_verify.body", _("Please verify the figures or return them with a comment."))
