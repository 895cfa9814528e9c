"""Reads of tenants and space, each in a bounded number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2.extras import DateRange

from accounts import workflows
from accounts.models import User
from accounts.roles import GROUP_NAMES, Role, can, has_role, sees_every_carrier
from config.decimals import PERCENT_PLACES, SCORE_PLACES, quantized, rounded
from enterprises.models import (
    Document,
    Enterprise,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TechSMERegistration,
)
from incubation import rules
from incubation.choices import ADMISSION_RULES, ApplicationStatus
from incubation.models import Allocation, Application, ApplicationEvent, Residency, Review, Transition
from incubation.workflow import APPLICATION_WORKFLOW
from parks.choices import Stage
from parks.models import Building, Carrier, Unit

_AREA: DecimalField = DecimalField(max_digits=14, decimal_places=2)


class MonthsBetween(Func):
    """Whole months from the first date to the second (PostgreSQL age())."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        age = f"age({end_sql}, {start_sql})"
        return (
            f"(EXTRACT(YEAR FROM {age}) * 12 + EXTRACT(MONTH FROM {age}))::integer",
            (*end_params, *start_params, *end_params, *start_params),
        )


class DaysBetween(Func):
    """Days from the first date to the second (in PostgreSQL, date - date is an integer)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return f"({end_sql} - {start_sql})", (*end_params, *start_params)


def tenant_roster(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """The open residencies `user` may see: enterprise, carrier, stage, months in residence, days to (or past) the
    planned end, area let today."""
    today = today or timezone.localdate()
    let_today = Allocation.objects.filter(residency=OuterRef("pk"), period__contains=today)
    area = let_today.order_by().annotate(_g=Value(1)).values("_g").annotate(total=Sum("unit__area_m2")).values("total")
    return (
        Residency.objects.for_user(user)
        .current()
        .select_related("enterprise", "enterprise__industry_field", "carrier")
        .annotate(
            months_in_residence=MonthsBetween(F("started_on"), Value(today)),
            days_to_planned_end=DaysBetween(Value(today), F("planned_end_on")),
            days_past_planned_end=DaysBetween(F("planned_end_on"), Value(today)),
            area_let=Coalesce(Subquery(area, output_field=_AREA), Value(0), output_field=_AREA),
        )
    )


def residencies_of(*, user, enterprise_id: int) -> QuerySet[Residency]:
    """An enterprise's residencies, newest first, with their allocations and units."""
    return (
        Residency.objects.for_user(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("carrier")
        .prefetch_related(
            Prefetch("allocations", queryset=Allocation.objects.select_related("unit__building").order_by("period"))
        )
        .order_by("-started_on", "-id")
    )


def occupancy_buildings(*, user) -> QuerySet[Building]:
    """The buildings whose lettings `user` may see: every building for the operating company and the bureau, the
    buildings of their own carriers for park staff, none for anyone else (accounts.roles: incubation.occupancy)."""
    if not can(user, "view", "incubation.occupancy"):
        return Building.objects.none()
    if not sees_every_carrier(user, "view", "incubation.occupancy"):
        return Building.objects.for_user(user, "change")
    return Building.objects.all()


def building_occupancy(*, building: Building, today: datetime.date | None = None) -> list[dict]:
    """Each unit of a building with who occupies it today and until when, and its next letting (free between)."""
    today = today or timezone.localdate()
    units = list(building.units.order_by("floor", "code", "id"))
    allocations = (
        Allocation.objects.filter(unit__building=building, period__overlap=DateRange(today, None))
        .select_related("residency__enterprise")
        .order_by("unit_id", "period")
    )
    by_unit: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_unit.setdefault(allocation.unit_id, []).append(allocation)
    rows = []
    for unit in units:
        lettings = by_unit.get(unit.pk, [])
        current = next((a for a in lettings if today in a.period), None)
        upcoming = [a for a in lettings if a.period.lower is not None and a.period.lower > today]
        rows.append({"unit": unit, "current": current, "upcoming": upcoming})
    return rows


def occupancy_totals(*, units: QuerySet[Unit], today: datetime.date | None = None) -> dict:
    """Area of the given units and the part let today (for the occupancy rate)."""
    today = today or timezone.localdate()
    total = units.aggregate(area=Coalesce(Sum("area_m2"), Value(0), output_field=_AREA))["area"]
    let = units.filter(allocations__period__contains=today).aggregate(
        area=Coalesce(Sum("area_m2"), Value(0), output_field=_AREA)
    )["area"]
    return {"area": total, "let": let, "rate": quantized(let / total * 100, PERCENT_PLACES) if total else None}


def incubation_limit_alerts(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """Incubator tenants whose time is within the notice period of the limit (or past it), per the rule set in
    force: 48 months with six months' notice under the 2018 rules."""
    today = today or timezone.localdate()
    period = rules.incubation_period(today)
    if period is None:
        return Residency.objects.none()
    limit, notice = period
    since = today - relativedelta(months=limit - notice)
    return (
        tenant_roster(user=user, today=today)
        .filter(stage="incubator", started_on__lte=since)
        .order_by("started_on", "pk")
    )


def planned_end_passed_alerts(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """Current tenants whose planned end date has passed (still in residence: graduate, extend or exit them),
    the longest overdue first."""
    today = today or timezone.localdate()
    return tenant_roster(user=user, today=today).filter(planned_end_on__lt=today).order_by("planned_end_on", "pk")


def hte_expiry_alerts(*, user, today: datetime.date | None = None, within_days: int = 90) -> QuerySet[HTECertificate]:
    """High-tech certificates of current tenants that expire within `within_days` with no newer certificate."""
    today = today or timezone.localdate()
    tenants = Residency.objects.for_user(user).current().values("enterprise_id")
    newer = HTECertificate.objects.filter(enterprise=OuterRef("enterprise"), issued_on__gt=OuterRef("issued_on"))
    return (
        HTECertificate.objects.filter(
            enterprise_id__in=tenants,
            expires_on__gt=today,
            expires_on__lte=today + datetime.timedelta(days=within_days),
        )
        .exclude(Exists(newer))
        .select_related("enterprise")
        .order_by("expires_on", "pk")
    )


def tech_sme_renewal_alerts(*, user, today: datetime.date | None = None) -> QuerySet[Residency]:
    """Current tenants registered as tech-based SMEs last year but not yet this year."""
    today = today or timezone.localdate()
    registered = TechSMERegistration.objects.filter(enterprise=OuterRef("enterprise"))
    return (
        tenant_roster(user=user, today=today)
        .filter(Exists(registered.filter(year=today.year - 1)))
        .exclude(Exists(registered.filter(year=today.year)))
        .order_by("enterprise__name", "pk")
    )


# --- Applications ------------------------------------------------------------------------------------------------


def with_review_counts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """`applications`, each with the number of experts assigned (`experts_assigned`) and done (`experts_done`)."""
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return applications.annotate(
        experts_assigned=Coalesce(
            Subquery(reviews.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
        ),
        experts_done=Coalesce(
            Subquery(
                reviews.filter(submitted_at__isnull=False).annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def residencies_with_months(
    residencies: QuerySet[Residency], *, today: datetime.date | None = None
) -> QuerySet[Residency]:
    """`residencies`, each with the whole months it has lasted (`months_in_residence`): to its end, or to today."""
    today = today or timezone.localdate()
    return residencies.annotate(
        months_in_residence=MonthsBetween(F("started_on"), Coalesce(F("ended_on"), Value(today)))
    )


def application_queue(*, user, with_documents: bool = False) -> QuerySet[Application]:
    """The applications `user` may see, with what the queue shows: applicant, carrier, field, the number of
    experts assigned and done, and (for those who may read reviews) the average weighted score, or for an expert
    their own weighted score and whether the application awaits it; with
    `with_documents`, the ids of their documents too (one query for the page, as the API lists them)."""
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    queryset = with_review_counts(
        Application.objects.for_user(user).select_related("enterprise", "enterprise__industry_field", "carrier")
    )
    if with_documents:
        queryset = queryset.prefetch_related(Prefetch("documents", queryset=Document.objects.only("pk")))
    if has_role(user, Role.EXPERT):
        own = reviews.filter(expert=user)
        queryset = queryset.annotate(
            my_review_pk=Subquery(own.values("pk")[:1]),
            my_score=Subquery(own.values("weighted_score")[:1]),
            # Their review is open and the application is with the experts: it waits for them.
            awaiting_my_score=ExpressionWrapper(
                Q(Exists(own.filter(submitted_at__isnull=True)), status=ApplicationStatus.EXPERT_REVIEW),
                output_field=BooleanField(),
            ),
        )
    elif can(user, "view", Review):
        queryset = queryset.annotate(
            average_score=Subquery(
                reviews.filter(submitted_at__isnull=False)
                .annotate(a=rounded(Avg("weighted_score"), SCORE_PLACES))
                .values("a")
            )
        )
    return queryset


def application_detail(*, user, pk: int) -> Application:
    """One application with its timeline and documents (Application.DoesNotExist if `user` may not see it)."""
    return (
        Application.objects.for_user(user)
        .select_related(
            "enterprise",
            "enterprise__industry_field",
            "carrier",
            "screening_rule_set",
            "scoring_rule_set",
            "residency",
            "created_by",
        )  # fmt: skip
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("by").order_by("at", "id")),
            "enterprise__memberships",
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by").order_by("uploaded_at")),
        )
        .get(pk=pk)
    )


def application_moves(
    *, user, application: Application, may_change: bool | None = None, check_preconditions: bool = False
) -> list[workflows.Offer]:
    """The workflow moves `user` may make on `application` now (accounts.workflows.offers): the applicant's moves
    if it is their enterprise's, staff moves if they are staff who may change it. The page and the API both ask
    this; the page also asks which preconditions are unmet, to show those moves disabled with the reason.

    `may_change` may be passed when already known (the API annotates a whole page at once); otherwise it costs one
    query."""
    return workflows.offers(
        APPLICATION_WORKFLOW, user=user, obj=application, may_change=may_change,
        check_preconditions=check_preconditions,
    )  # fmt: skip


def reviews_visible(*, user, application: Application) -> list[Review]:
    """The reviews of `application` that `user` may read: staff and the bureau all; an expert their own, and the
    others' only after submitting theirs."""
    return list(
        Review.objects.for_user(user)
        .filter(application=application)
        .select_related("expert", "assigned_by")
        .order_by("assigned_at", "id")
    )


def review_summary(reviews: list[Review]) -> dict:
    """The average weighted score and the average per criterion over the submitted reviews (already loaded)."""
    done = [review for review in reviews if review.submitted_at is not None]
    if not done:
        return {"count": 0, "average": None, "per_criterion": {}}
    per_criterion: dict[str, Decimal] = {}
    for code in done[0].scores:
        values = [Decimal(review.scores.get(code, 0)) for review in done]
        per_criterion[code] = quantized(sum(values, Decimal(0)) / len(values), 1)
    scores = [review.weighted_score for review in done if review.weighted_score is not None]  # all, once submitted
    average = quantized(sum(scores, Decimal(0)) / len(done), SCORE_PLACES)
    return {"count": len(done), "average": average, "per_criterion": per_criterion}


def screening_preview(*, application: Application, on: datetime.date | None = None) -> rules.Evaluation:
    """The stage's admission criteria evaluated now against the applicant's records (for the screening panel)."""
    return rules.evaluate(ADMISSION_RULES[application.stage], application.enterprise, on or timezone.localdate())


def screening_kept(*, application: Application) -> list[rules.ShownResult]:
    """The admission criteria as they were evaluated when screening ended, in the reader's language."""
    kept = application.screening_results
    return rules.shown_results(kept, application.screening_rule_set if rules.needs_rule_set(kept) else None)


def transition_criteria(*, transition: Transition) -> list[rules.ShownResult]:
    """The criteria a transition was judged by, in the reader's language."""
    kept = transition.criteria
    return rules.shown_results(kept, transition.rule_set if rules.needs_rule_set(kept) else None)


def application_places(*, enterprise: Enterprise | None = None) -> list[dict]:
    """Every (carrier, stage) pair that exists, the carriers whose focus fields include the enterprise's industry
    field marked as suggested and listed first."""
    suggested: set[int] = set()
    field = enterprise.industry_field if enterprise is not None else None
    if field is not None:
        field_ids = {field.pk}
        if field.parent_id:
            field_ids.add(field.parent_id)
        suggested = set(
            Carrier.objects.filter(Q(focus_fields__in=field_ids) | Q(focus_fields__parent__in=field_ids)).values_list(
                "pk", flat=True
            )
        )
    places = [
        {"carrier": carrier, "stage": stage, "stage_label": Stage(stage).label, "suggested": carrier.pk in suggested}
        for carrier in Carrier.objects.order_by("sort_order", "pk")
        for stage in carrier.stages
    ]
    places.sort(key=lambda place: not place["suggested"])
    return places


def experts_available() -> QuerySet:
    return User.objects.filter(is_active=True, groups__name=GROUP_NAMES[Role.EXPERT]).order_by("name", "username")


def enterprise_timeline(*, user, enterprise: Enterprise) -> list[dict]:  # noqa: C901 — one flat loop per kind of record
    """Everything that happened to one enterprise, newest first, on one timeline: applications and their status
    changes, residencies and moves, space lets, qualifications, financing and documents. One query per kind of
    record, whatever their number; each source is filtered by what `user` may see."""
    entries: list[dict] = []

    def add(when, kind: str, text: str, url: str = "") -> None:
        day = when.date() if isinstance(when, datetime.datetime) else when
        # Within one day, what has a time keeps its order; a dated record (a move, a let) counts as the day's last.
        moment = when.time() if isinstance(when, datetime.datetime) else datetime.time.max
        entries.append({"date": day, "kind": kind, "text": text, "url": url, "sort_key": (day, moment)})

    events = (
        ApplicationEvent.objects.for_user(user)
        .filter(application__enterprise=enterprise)
        .select_related("application__carrier")
        .exclude(action__in=("create", "admit"))  # the residency's own entry tells of the admission
    )
    for event in events:
        application = event.application
        add(
            timezone.localtime(event.at),
            "application",
            _("Application #%(number)s (%(carrier)s, %(stage)s): %(status)s")
            % {
                "number": application.pk,
                "carrier": application.carrier.display_name,
                "stage": application.get_stage_display(),
                "status": event.get_to_status_display(),
            },
            reverse("incubation:application_detail", args=[application.pk]),
        )
    for transition in (
        Transition.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("from_residency__carrier", "to_residency__carrier")
    ):
        before, after = transition.from_residency, transition.to_residency
        place = f"{before.carrier.display_name} · {before.get_stage_display()}"
        if after is not None:
            same_carrier = after.carrier_id == before.carrier_id
            place += f" → {'' if same_carrier else after.carrier.display_name + ' · '}{after.get_stage_display()}"
        add(transition.occurred_on, "transition",
            _("%(move)s: %(place)s") % {"move": transition.get_kind_display(), "place": place})  # fmt: skip
    for residency in Residency.objects.for_user(user).filter(enterprise=enterprise).select_related("carrier"):
        add(
            residency.started_on,
            "residency",
            _("Admitted to %(carrier)s, %(stage)s")
            % {"carrier": residency.carrier.display_name, "stage": residency.get_stage_display()},
        )
    for allocation in (
        Allocation.objects.for_user(user).filter(residency__enterprise=enterprise).select_related("unit__building")
    ):
        add(
            allocation.period.lower,
            "allocation",
            _("Space let: %(unit)s") % {"unit": f"{allocation.unit.building.name} {allocation.unit.code}"},
        )
    for registration in TechSMERegistration.objects.for_user(user).filter(enterprise=enterprise):
        add(
            registration.registered_on or datetime.date(registration.year, 1, 1),
            "qualification",
            _("Registered as a tech-based SME for %(year)s") % {"year": registration.year},
        )
    for certificate in HTECertificate.objects.for_user(user).filter(enterprise=enterprise):
        add(
            certificate.issued_on,
            "qualification",
            _("High-tech enterprise certificate %(number)s") % {"number": certificate.certificate_no},
        )
    for hte_application in HTEApplication.objects.for_user(user).filter(enterprise=enterprise):
        params = {"year": hte_application.year, "outcome": hte_application.get_outcome_display()}
        add(
            hte_application.submitted_on,
            "qualification",
            _("Applied for high-tech enterprise recognition (assessment year %(year)s)") % params,
        )
        if hte_application.decided_on is not None:
            add(
                hte_application.decided_on,
                "qualification",
                _("High-tech enterprise application (assessment year %(year)s): %(outcome)s") % params,
            )
    for honour in Honour.objects.for_user(user).filter(enterprise=enterprise):
        add(datetime.date(honour.year, 1, 1), "qualification", f"{honour.get_kind_display()} ({honour.year})")
    for financing in FinancingEvent.objects.for_user(user).filter(enterprise=enterprise):
        add(
            financing.occurred_on,
            "financing",
            _("%(round)s: %(amount)s × 10k yuan from %(investor)s")
            % {"round": financing.get_round_display(), "amount": financing.amount, "investor": financing.investor},
        )
    for document in Document.objects.for_user(user).filter(enterprise=enterprise):
        add(
            timezone.localtime(document.uploaded_at),
            "document",
            _("Document uploaded: %(title)s") % {"title": document.title},
            reverse("enterprises:document_download", args=[document.pk]),
        )
    entries.sort(key=lambda entry: entry["sort_key"], reverse=True)
    return entries


def applications_of(*, user, enterprise: Enterprise) -> QuerySet[Application]:
    return Application.objects.for_user(user).filter(enterprise=enterprise).select_related("carrier")


def tenant_roster_for_export(roster: QuerySet[Residency], *, today: datetime.date) -> QuerySet[Residency]:
    """The roster's rows (as filtered and sorted) with what the export adds: the units let today and the
    enterprise's current qualifications (tech-based SME registrations of this year and last, valid high-tech
    certificates). Three prefetches, whatever the number of rows."""
    return roster.prefetch_related(
        Prefetch(
            "allocations",
            queryset=Allocation.objects.filter(period__contains=today)
            .select_related("unit__building")
            .order_by("unit__building__name", "unit__code"),
            to_attr="units_let_today",
        ),
        Prefetch(
            "enterprise__tech_sme_registrations",
            queryset=TechSMERegistration.objects.filter(year__gte=today.year - 1).order_by("-year"),
            to_attr="recent_tech_sme",
        ),
        Prefetch(
            "enterprise__hte_certificates",
            queryset=HTECertificate.objects.filter(issued_on__lte=today, expires_on__gt=today).order_by("-issued_on"),
            to_attr="valid_hte",
        ),
    )


# --- The pipeline funnel ----------------------------------------------------------------------------------------

FUNNEL_STEPS = ("applications", "admissions", "promotions", "graduations")


def pipeline_funnel_trend(*, years: list[int] | range, carrier: Carrier | None = None) -> dict[int, dict[str, int]]:
    """year -> the pipeline's four steps in that year, district-wide or at one carrier (docs/indicators.md,
    "Pipeline funnel"). Three queries whatever the years and the data:
    - applications: submitted in the year (Beijing time) to the carrier, whatever became of them;
    - admissions: enterprises whose first residency began in the year there (the "new admissions" indicator);
    - promotions and graduations: moves that occurred in the year, counted at the carrier moved from."""
    years = sorted(set(years))
    result = {year: dict.fromkeys(FUNNEL_STEPS, 0) for year in years}
    if not years:
        return result
    first, last = years[0], years[-1]
    applications = Application.objects.filter(
        submitted_at__isnull=False, submitted_at__year__gte=first, submitted_at__year__lte=last
    )
    earlier = Residency.objects.filter(enterprise_id=OuterRef("enterprise_id")).filter(
        Q(started_on__lt=OuterRef("started_on")) | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk"))
    )
    admissions = Residency.objects.filter(started_on__year__gte=first, started_on__year__lte=last).filter(
        ~Exists(earlier)
    )
    moves = Transition.objects.filter(
        kind__in=["promote", "graduate"], occurred_on__year__gte=first, occurred_on__year__lte=last
    )
    if carrier is not None:
        applications = applications.filter(carrier=carrier)
        admissions = admissions.filter(carrier=carrier)
        moves = moves.filter(from_residency__carrier=carrier)
    rows = [
        ("applications", applications.values_list("submitted_at__year").annotate(n=Count("pk"))),
        ("admissions", admissions.values_list("started_on__year").annotate(n=Count("pk"))),
    ]
    for step, queryset in rows:
        for year, count in queryset.order_by():
            if year in result:
                result[year][step] = count
    for year, kind, count in moves.values_list("occurred_on__year", "kind").annotate(n=Count("pk")).order_by():
        if year in result:
            result[year]["promotions" if kind == "promote" else "graduations"] = count
    return result


def pipeline_funnel(*, year: int, carrier: Carrier | None = None) -> dict[str, int]:
    """The pipeline's four steps in one year: applications → admissions → promotions → graduations (see
    pipeline_funnel_trend). Three queries."""
    return pipeline_funnel_trend(years=[year], carrier=carrier)[year]
