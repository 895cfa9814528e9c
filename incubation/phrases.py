"""The texts incubation stores to show later, each under a code (see accounts.phrasebook): what a criterion found
on the records (kept with an application's screening and with each transition), and what an applicant is told."""

from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import define

# What a criterion found (incubation.rules).
NOT_REGISTERED = define("rules.not_registered", _("Not registered as a company yet."))
REGISTERED_AGO = define("rules.registered_ago", _("Registered %(months)s months ago."))
TEAM_NOT_REGISTERED = define("rules.team_not_registered", _("A team not yet registered."))
CREDIT_CODE = define("rules.credit_code", _("Unified social credit code %(uscc)s."))
TECH_SME_YEARS = define("rules.tech_sme_years", _("Registered for %(years)s."))
NO_TECH_SME = define("rules.no_tech_sme", _("No registration for %(this)s or %(last)s."))
HTE_CERTIFICATE = define("rules.hte_certificate", _("Certificate %(number)s, valid until %(date)s."))
NO_HTE_CERTIFICATE = define("rules.no_hte_certificate", _("No valid certificate."))
FINANCING_RECEIVED = define("rules.financing_received", _("%(total)s × 10k yuan received."))  # rows kept before
NO_CORPORATE_EVENT = define("rules.no_corporate_event", _("No merger, acquisition or listing recorded."))
CORPORATE_EVENT = define("rules.corporate_event", _("%(event)s on %(date)s."))
ANGEL_OR_VENTURE_RECEIVED = define(
    "rules.angel_or_venture_received",
    _("%(total)s × 10k yuan of angel or venture investment received (strategic and other rounds do not count)."),
)
REVENUE_OVER = define("rules.revenue_over", _("Verified revenue (10k yuan) %(figures)s: %(total)s in total."))
REVENUE_UNDER = define(
    "rules.revenue_under", _("Verified revenue (10k yuan) %(figures)s: %(total)s in total, not over the threshold.")
)
REVENUE_MISSING = define("rules.revenue_missing", _("No verified annual report for %(years)s."))
STAFF_CONFIRM = define(  # evaluations kept before mergers and listings were recorded
    "rules.staff_confirm", _("Not recorded in the portal: staff confirm.")
)
GRADUATED = define("rules.graduated", _("Graduated."))
NO_GRADUATION = define("rules.no_graduation", _("No graduation recorded; a high-growth firm also qualifies."))
NOT_IN_INCUBATOR = define("rules.not_in_incubator", _("Not in an incubator."))
MONTHS_SO_FAR = define("rules.months_so_far", _("%(months)s months so far."))
COUNTING_RULE = define("rules.counting_rule", _("A counting rule, not a criterion."))
SCORED_BY_EXPERTS = define("rules.scored_by_experts", _("Scored by the experts."))

# What an applicant is told when their application moves (incubation.workflow).
APPLICATION_MOVED_SUBJECT = define(
    "application.moved.subject", _("Application #%(number)s (%(enterprise)s): %(status)s")
)
APPLICATION_MOVED_BODY = define("application.moved.body", _("The application is now “%(status)s”."))
