from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.choices import HTEOutcome
from enterprises.models import (
    CorporateEvent,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from parks.templatetags.humanize_area import amount

register = template.Library()


@register.filter
def may_hold(enterprise, records) -> bool:
    """Whether the enterprise can hold records such as these (a queryset: a team holds no qualification). The
    template passes the queryset, not its model: a template calls what is callable, and a model class is."""
    return enterprise.may_hold(records.model)


@register.simple_tag
def record_summary(record) -> str:
    """One line describing a record under an enterprise, in the user's language."""
    if isinstance(record, TeamMember):
        extra = pgettext("list separator", ", ").join(
            str(x) for x in (record.position, record.get_education_display()) if x
        )
        founder = _("founder") if record.is_founder else ""
        return format_html(
            "<strong>{}</strong> <span class='text-body-secondary small'>{} {}</span>", record.name, extra, founder
        )
    if isinstance(record, TechSMERegistration):
        return format_html("<strong>{}</strong> · {} {}", record.year, _("registration number"), record.registration_no)
    if isinstance(record, HTECertificate):
        return format_html(
            "<strong>{}</strong> · {} {} · {} {}",
            record.certificate_no,
            _("issued"),
            f"{record.issued_on:%Y-%m-%d}",
            _("expires"),
            f"{record.expires_on:%Y-%m-%d}" if record.expires_on else "—",
        )
    if isinstance(record, HTEApplication):
        badge = {HTEOutcome.PENDING: "text-bg-warning", HTEOutcome.CERTIFIED: "text-bg-success"}.get(
            record.outcome, "text-bg-secondary"
        )
        decided_label = _("decided")
        decided = f" · {decided_label} {record.decided_on:%Y-%m-%d}" if record.decided_on else ""
        return format_html(
            "<strong>{}</strong> · {} {}{} <span class='badge {}'>{}</span>",
            record.year,
            _("submitted"),
            f"{record.submitted_on:%Y-%m-%d}",
            decided,
            badge,
            record.get_outcome_display(),
        )
    if isinstance(record, Honour):
        return format_html(
            "<strong>{}</strong> · {} · {}", record.get_kind_display(), record.get_level_display(), record.year
        )
    if isinstance(record, FinancingEvent):
        return format_html(
            "<strong>{}</strong> · {} · {} {} · {}",
            f"{record.occurred_on:%Y-%m-%d}",
            record.get_round_display(),
            amount(record.amount),
            _("10k yuan"),
            record.investor,
        )
    if isinstance(record, CorporateEvent):
        details = [x for x in (record.get_board_display(), record.security_code, record.counterparty) if x]
        parts = [record.get_kind_display(), pgettext("list separator", ", ").join(details)]
        shown = " · ".join(part for part in parts if part)
        return format_html("<strong>{}</strong> · {}", f"{record.occurred_on:%Y-%m-%d}", shown)
    return str(record)
