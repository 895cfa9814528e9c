"""Demo data: a deterministic generator of made-up tenants with their history, for `seed_demo` (and so for
`python3 dev.py run`). The same seed (and the same `today`) gives the same enterprises, codes and history.

Companies are named like Linzi's (淄博/临淄/山东 + a trade name + field words + 有限公司), with valid unified social
credit codes, industry fields from the carriers' focus fields, 科技型中小企业 registrations per year (some renewals
missed), 高企 certificates (some expiring soon, some lapsed), honours, financing and a team. Their residencies run
from 2021 to today in every stage of every carrier, with promotions, transfers, graduations and exits made through
the services (dated in the past, by a demo operator), space let without overlaps, and applications in every status
of the workflow, made through `application_act` and friends so their timelines exist; the services stamp "now",
so the rows' own dates are moved back afterwards to keep each timeline consistent (the audit trail keeps the real
time: it is append-only). Every enterprise made here is marked is_demo.

The vocabulary (names, fields, people, made-up enterprises: demo.vocabulary) and the plan of each history
(demo.planner) are shared with the benchmark generator, bench/generate.py, which writes the same kind of history
in bulk.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import GROUP_NAMES, Role
from demo.planner import EXIT, GRADUATE, PROMOTE, TRANSFER, HistoryPlanner, Stay
from demo.vocabulary import (
    CORE,
    DEMO_NOTE,
    EXIT_NOTES,
    GENERATED_USCC_PREFIX,
    INVESTORS,
    MORE_INFO_MESSAGES,
    OVERRIDE_REASON,
    PDF_BYTES,
    POSITIONS,
    PROJECTS,
    REVIEW_COMMENTS,
    START,
    company_name,
    made_up_enterprise,
    person_name,
    random_day,
    random_uscc,
    team_name,
)
from enterprises import services as enterprise_services
from enterprises.choices import HTEOutcome
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    OperatingReport,
    TeamMember,
    TechSMERegistration,
)
from incubation import rules, services
from incubation.choices import ApplicationStatus as S
from incubation.choices import ResidencyEndReason
from incubation.models import Allocation, Application, ApplicationEvent, Residency, Review
from parks.models import Building, Carrier, Unit
from targets.signals import inputs_changed

# --- Demo space ---------------------------------------------------------------------------------------------------

# carrier code -> (building, floors, [(unit prefix, count, floor, area, kind, zone)]): enough space for the demo's
# tenants, beside seed_demo's first buildings.
DEMO_BUILDINGS = {
    "qizhihui": (
        "齐智汇孵化中心B座",
        5,
        [
            ("B1", 12, 1, "16", "workstation", "seedbed"),
            ("B2", 10, 2, "88", "office", "incubator"),
            ("B3", 6, 3, "150", "lab", "incubator"),
            ("B4", 6, 4, "280", "office", "accelerator"),
            ("B5", 2, 5, "320", "lab", "accelerator"),
        ],
    ),
    "green-chemicals": ("绿色化工中试基地", 3, [("S1", 4, 1, "140", "lab", "incubator"),
                                               ("S2", 3, 1, "650", "workshop", "industrial_park")]),
    "big-data": ("大数据产业园2号楼", 8, [("2-3", 5, 3, "96", "office", "incubator"),
                                         ("2-6", 3, 6, "780", "office", "industrial_park")]),
    "intelligent-manufacturing": ("智能制造标准厂房", 2, [("C1", 4, 1, "180", "lab", "incubator"),
                                                         ("C2", 3, 1, "1100", "workshop", "industrial_park")]),
    "new-medicine": ("新医药产业园研发楼", 5, [("R3", 4, 3, "150", "lab", "incubator"),
                                              ("R1", 3, 1, "860", "workshop", "industrial_park")]),
    "new-materials": ("新材料中试车间", 3, [("M1", 4, 1, "135", "lab", "incubator"),
                                           ("M2", 3, 1, "720", "workshop", "industrial_park")]),
}  # fmt: skip


def ensure_demo_space() -> None:
    """The demo buildings and units (idempotent)."""
    for code, (name, floors, groups) in DEMO_BUILDINGS.items():
        carrier = Carrier.objects.get(code=code)
        building, _ = Building.objects.get_or_create(
            carrier=carrier, name=name, defaults={"floors": floors, "note": DEMO_NOTE}
        )
        existing = set(building.units.values_list("code", flat=True))
        Unit.objects.bulk_create(
            Unit(building=building, code=f"{prefix}{n:02d}", floor=floor, area_m2=Decimal(area), kind=kind,
                 stage_zone=zone, note=DEMO_NOTE)
            for prefix, count, floor, area, kind, zone in groups
            for n in range(1, count + 1)
            if f"{prefix}{n:02d}" not in existing
        )  # fmt: skip


# --- What the demo is made of ---------------------------------------------------------------------------------------

# The first enterprises start at each (carrier, stage) pair with a given first move, so that every pair and every
# kind of move is in the demo whatever its size.
FORCED_STARTS = [
    (CORE, "seedbed", PROMOTE),
    (CORE, "incubator", TRANSFER),
    (CORE, "accelerator", PROMOTE),
    ("green-chemicals", "incubator", GRADUATE),
    ("green-chemicals", "industrial_park", None),
    ("big-data", "incubator", PROMOTE),
    ("big-data", "industrial_park", EXIT),
    ("intelligent-manufacturing", "incubator", EXIT),
    ("intelligent-manufacturing", "industrial_park", None),
    ("new-medicine", "incubator", PROMOTE),
    ("new-medicine", "industrial_park", None),
    ("new-materials", "incubator", GRADUATE),
    ("new-materials", "industrial_park", None),
]
# Applicants without a residency, one per status first (all of ApplicationStatus), then at random.
STATUS_PLAN = [
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.MORE_INFO, S.EXPERT_REVIEW, S.EXPERT_REVIEW, S.DECISION, S.APPROVED,
    S.REJECTED, S.REJECTED, S.WITHDRAWN,
]  # fmt: skip
STATUS_WEIGHTS = {
    S.DRAFT: 2, S.SUBMITTED: 2, S.SCREENING: 2, S.MORE_INFO: 1, S.EXPERT_REVIEW: 3, S.DECISION: 1,
    S.APPROVED: 1, S.REJECTED: 3, S.WITHDRAWN: 1,
}  # fmt: skip


@dataclasses.dataclass
class Summary:
    enterprises: int = 0
    residencies: int = 0
    transitions: int = 0
    allocations: int = 0
    applications: int = 0
    operating_reports: int = 0


@dataclasses.dataclass
class _Steps:
    """The steps of one demo application as they are made, each a few days after the last: the day reached, the
    day of each step, and its reviews as [review, assigned on, submitted on]."""

    rng: random.Random
    application: Application
    staff: User
    day: datetime.date
    times: list[datetime.date]
    reviews: list[list] = dataclasses.field(default_factory=list)

    def later(self, low: int = 1, high: int = 6) -> datetime.date:
        self.day = self.day + datetime.timedelta(days=self.rng.randint(low, high))
        return self.day

    def act(self, move: str, message: str = "", by: User | None = None) -> None:
        services.application_act(application=self.application, move=move, by=by or self.staff, message=message)
        self.times.append(self.later())


class DemoGenerator(HistoryPlanner):
    """Makes `size` demo enterprises with their history. Call run() inside a transaction."""

    def __init__(self, *, seed: int, size: int, operator, experts: list, applicant=None, today=None) -> None:
        rng = random.Random(seed)  # noqa: S311 -- made-up data, not secrets: reproducible by design
        super().__init__(rng=rng, today=today or timezone.localdate())
        # The figures have a generator of their own, so that adding them left every other demo row as it was.
        self.figures_rng = random.Random(f"{seed}-operating-reports")  # noqa: S311
        self.hte_rng = random.Random(f"{seed}-hte-applications")  # noqa: S311 -- likewise for 高企 applications
        self.size = size
        self.operator = operator
        self.experts = experts
        self.applicant = applicant
        self.summary = Summary()
        self.names: set[str] = set(Enterprise.objects.values_list("name", flat=True))
        self.codes: set[str] = set(Enterprise.objects.exclude(uscc=None).values_list("uscc", flat=True))
        self.serial = 0  # registration and certificate numbers
        self.applicants = 0

    def _load(self) -> None:
        ensure_demo_space()
        self.units: dict[tuple[int, str], list[Unit]] = {}
        units = (
            Unit.objects.exclude(kind="public_service").select_related("building").order_by("building__name", "code")
        )
        for unit in units:
            self.units.setdefault((unit.building.carrier_id, unit.stage_zone), []).append(unit)
        self.taken: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
        for allocation in Allocation.objects.all():
            self.taken.setdefault(allocation.unit_id, []).append((allocation.period.lower, allocation.period.upper))

    # -- making it --

    def run(self) -> Summary:
        self._load()
        forced_applicants = iter(STATUS_PLAN)
        for index in range(self.size):
            if len(FORCED_STARTS) <= index < len(FORCED_STARTS) + len(STATUS_PLAN):
                self._applicant_only(next(forced_applicants))
            elif index >= len(FORCED_STARTS) and index % 4 == 0:
                statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
                self._applicant_only(self.rng.choices(statuses, weights)[0])
            else:
                self._tenant(index)
        if self.applicant is not None:
            self._showcase(self.applicant)
        self._operating_reports()
        return self.summary

    def _tenant(self, index: int) -> None:
        if index < len(FORCED_STARTS):
            code, stage, first_move = FORCED_STARTS[index]
            carrier = self.carriers[code]
            start = random_day(self.rng, START, datetime.date(2022, 6, 30))
        else:
            carrier = self.rng.choice([self.carriers[CORE]] * 5 + self.parks)
            stage = self.rng.choices(carrier.stages, [5 if s == "incubator" else 2 for s in carrier.stages])[0]
            first_move = "random"
            start = random_day(self.rng, START, self.today - datetime.timedelta(days=30))
        field = self.field_for(carrier)
        is_team = stage == "seedbed" and self.rng.random() < 0.4
        stays = self.plan_stays(carrier, stage, start, field, first_move)
        if is_team and (len(stays) > 1 or stays[0].move not in (None, EXIT)):
            is_team = False  # a team that moves on has registered by then
        registered = None if is_team else self.registration_before(stage, start)
        graduation = next((s.end for s in stays if s.move == GRADUATE), None)
        enterprise = self._enterprise(field, registered, graduation=graduation)
        via_application = index % 5 == 2
        self._live(enterprise, stays, via_application=via_application, field=field)

    def _applicant_only(self, status: str) -> None:
        carrier = self.rng.choice([self.carriers[CORE]] * 3 + self.parks)
        field = self.field_for(carrier)
        stage = self.rng.choice(carrier.stages)
        is_team = stage == "seedbed" and self.rng.random() < 0.5
        apply_on = self.today - datetime.timedelta(days=self.rng.randrange(20, 120))
        if status in (S.REJECTED, S.WITHDRAWN):
            apply_on = random_day(self.rng, START, self.today - datetime.timedelta(days=60))
        registered = None if is_team else self.registration_before(stage, apply_on)
        enterprise = self._enterprise(field, registered)
        self._application(enterprise, carrier, stage, status, field, apply_on=apply_on)

    def _enterprise(self, field, registered: datetime.date | None, graduation: datetime.date | None = None):
        rng = self.rng
        while True:
            name = company_name(rng, field.name) if registered else team_name(rng, field.name)
            if name not in self.names:
                break
        self.names.add(name)
        uscc = None
        if registered:
            while (uscc := random_uscc(rng)) in self.codes:
                pass
            self.codes.add(uscc)
        data = made_up_enterprise(
            rng,
            field=field,
            registered=registered,
            name=name,
            uscc=uscc,
            email=f"contact{len(self.names):04d}@example.cn",
        )
        founder = data["contact_name"]
        enterprise = enterprise_services.enterprise_create(by=self.operator, data=data)
        Enterprise.objects.filter(pk=enterprise.pk).update(is_demo=True)  # not a field users set: demo data only
        enterprise.is_demo = True
        self._records(enterprise, founder, registered, graduation)
        self.summary.enterprises += 1
        return enterprise

    def _hte_applications(self, enterprise, registered, graduation, certificates) -> None:
        """高企认定申报: the one behind each certificate (certified on its issue date), and for some tenants without
        one a pending application this year (the HTE target's pipeline) or one rejected last year."""
        rng, today = self.hte_rng, self.today
        applications = [
            HTEApplication(enterprise=enterprise, year=c.issued_on.year, outcome=HTEOutcome.CERTIFIED,
                           submitted_on=c.issued_on - datetime.timedelta(days=rng.randint(90, 200)),
                           decided_on=c.issued_on)
            for c in certificates
        ]  # fmt: skip
        roll = rng.random()
        if not certificates and graduation is None and registered + relativedelta(years=1) < today:
            if roll < 0.3 and today.month > 2:
                submitted = random_day(rng, datetime.date(today.year, 1, 15), today - datetime.timedelta(days=10))
                applications.append(HTEApplication(enterprise=enterprise, year=today.year, submitted_on=submitted,
                                                   outcome=HTEOutcome.PENDING))  # fmt: skip
            elif roll < 0.45:
                year = today.year - 1
                submitted = random_day(rng, datetime.date(year, 3, 1), datetime.date(year, 6, 30))
                decided = submitted + datetime.timedelta(days=rng.randint(90, 150))
                applications.append(HTEApplication(enterprise=enterprise, year=year, submitted_on=submitted,
                                                   outcome=HTEOutcome.REJECTED, decided_on=decided))  # fmt: skip
        HTEApplication.objects.bulk_create(applications)

    def _next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def _records(self, enterprise, founder: str, registered, graduation) -> None:
        """Team, 科技型中小企业 years, 高企 certificates, honours and financing (plain rows: what a newcomer would
        have typed in before the portal existed)."""
        rng, today = self.rng, self.today
        members = [TeamMember(enterprise=enterprise, name=founder, position="总经理", is_founder=True,
                              education=rng.choice(["doctorate", "master", "bachelor"]))]  # fmt: skip
        members += [
            TeamMember(enterprise=enterprise, name=person_name(rng), position=rng.choice(POSITIONS),
                       education=rng.choice(["doctorate", "master", "master", "bachelor", "college"]))
            for _ in range(rng.randint(1, 5))
        ]  # fmt: skip
        TeamMember.objects.bulk_create(members)
        if registered is None:
            return
        first_year = max(registered.year + 1, 2021)
        missed_this_year = rng.random() < 0.2
        registrations = []
        for year in range(first_year, today.year + 1):
            if (year == today.year and missed_this_year) or rng.random() < 0.1:
                continue
            registrations.append(
                TechSMERegistration(enterprise=enterprise, year=year,
                                    registration_no=f"{year}370305{self._next_serial():05d}",
                                    registered_on=datetime.date(year, rng.randint(3, 9), rng.randint(1, 28)))
            )  # fmt: skip
        TechSMERegistration.objects.bulk_create(registrations)
        certificates = []
        roll = rng.random()
        issued = None
        if graduation is not None:
            issued = graduation - datetime.timedelta(days=rng.randint(20, 200))
        elif roll < 0.1:  # expiring within the next three months
            issued = today - relativedelta(years=3) + datetime.timedelta(days=rng.randint(5, 85))
        elif roll < 0.2:  # lapsed, never renewed
            issued = random_day(rng, datetime.date(2019, 1, 1), today - relativedelta(years=3, days=1))
        elif roll < 0.35:
            issued = random_day(rng, today - relativedelta(years=2, months=10), today - datetime.timedelta(days=30))
        if issued is not None and issued > registered + relativedelta(years=1):
            certificates.append(
                HTECertificate(
                    enterprise=enterprise,
                    issued_on=issued,
                    certificate_no=f"GR{issued.year}37{1000 + self._next_serial():06d}",
                )
            )
        HTECertificate.objects.bulk_create(certificates)
        self._hte_applications(enterprise, registered, graduation, certificates)
        if rng.random() < 0.25:
            kind, level = rng.choice(
                [
                    ("innovative_sme", "provincial"),
                    ("specialised_sme", "provincial"),
                    ("gazelle", "municipal"),
                    ("little_giant", "national"),
                    ("other", "district"),
                ]
            )
            Honour.objects.bulk_create(
                [
                    Honour(
                        enterprise=enterprise,
                        kind=kind,
                        level=level,
                        year=rng.randint(max(2021, registered.year), today.year),
                    )
                ]
            )
        financing = []
        day = registered
        for round_, (low, high) in [("seed", (30, 100)), ("angel", (100, 500)), ("pre_a", (300, 1000)),
                                    ("series_a", (1000, 5000))]:  # fmt: skip
            day = day + datetime.timedelta(days=rng.randint(150, 600))
            if day >= today or rng.random() < 0.45:
                break
            financing.append(FinancingEvent(enterprise=enterprise, occurred_on=day, round=round_,
                                            amount=Decimal(rng.randrange(low, high, 10)),
                                            investor=rng.choice(INVESTORS)))  # fmt: skip
        FinancingEvent.objects.bulk_create(financing)

    # -- residencies, moves and space --

    def _free_unit(self, carrier: Carrier, stage: str, start, end) -> Unit | None:
        for unit in self.units.get((carrier.pk, stage), []):
            if all(not (start < (upper or datetime.date.max) and lower < (end or datetime.date.max))
                   for lower, upper in self.taken.get(unit.pk, [])):  # fmt: skip
                self.taken.setdefault(unit.pk, []).append((start, end))
                return unit
        return None

    def _live(self, enterprise, stays: list[Stay], *, via_application: bool, field) -> None:
        """Open the first residency (through an application when `via_application`), then make each move."""
        first = stays[0]
        if self.rng.random() < 0.85:
            first.unit = self._free_unit(first.carrier, first.stage, first.start, first.end or first.planned_end)
        if via_application:
            application = self._application(
                enterprise, first.carrier, first.stage, S.APPROVED, field,
                apply_on=first.start - datetime.timedelta(days=self.rng.randint(40, 80)), admit=first,
            )  # fmt: skip
            residency = application.residency
        else:
            residency = services.residency_open(
                enterprise=enterprise, carrier=first.carrier, stage=first.stage, started_on=first.start,
                planned_end_on=first.planned_end, agreement_no=f"LZ-{first.start:%Y}-{self._next_serial():04d}",
                by=self.operator,
            )  # fmt: skip
            if first.unit is not None:
                self._allocate(residency, first)
        self.summary.residencies += 1
        for stay, following in zip(stays, [*stays[1:], None], strict=True):
            if stay.move is None:
                break
            residency = self._move(residency, stay, following)

    def _allocate(self, residency: Residency, stay: Stay) -> None:
        services.allocation_create(residency=residency, unit=stay.unit, start=stay.start,
                                   end=stay.end or stay.planned_end, by=self.operator)  # fmt: skip
        self.summary.allocations += 1

    def _move(self, residency: Residency, stay: Stay, following: Stay | None) -> Residency | None:
        on, by = stay.end, self.operator
        if stay.move == EXIT:
            reason = self.rng.choice([ResidencyEndReason.EXITED_VOLUNTARY] * 3 + [ResidencyEndReason.EXITED_REMOVED])
            services.exit_tenant(residency=residency, on=on, reason=reason, note=self.rng.choice(EXIT_NOTES[reason]),
                                 by=by)  # fmt: skip
            self.summary.transitions += 1
            return None
        if stay.move == GRADUATE:
            evaluation = services.move_preview(kind="graduate", residency=residency, on=on)
            services.graduate(residency=residency, on=on, by=by,
                              override_reason="" if evaluation.satisfied else OVERRIDE_REASON)  # fmt: skip
            self.summary.transitions += 1
            return None
        if following is None:  # a promotion or transfer always plans the stay it leads to
            raise ValueError(stay)
        to_carrier = following.carrier if following.carrier.pk != residency.carrier_id else None
        if stay.move == TRANSFER:
            transition = services.transfer(residency=residency, to_carrier=following.carrier, on=on, by=by)
        else:
            evaluation = services.move_preview(kind="promote", residency=residency, on=on, to_stage=following.stage)
            transition = services.promote(
                residency=residency, to_stage=following.stage, on=on, by=by, to_carrier=to_carrier,
                planned_end_on=following.planned_end, override_reason="" if evaluation.satisfied else OVERRIDE_REASON,
            )  # fmt: skip
        self.summary.transitions += 1
        self.summary.residencies += 1
        following.planned_end = transition.to_residency.planned_end_on or following.planned_end
        if self.rng.random() < 0.85:
            following.unit = self._free_unit(following.carrier, following.stage, following.start,
                                             following.end or following.planned_end)  # fmt: skip
            if following.unit is not None:
                self._allocate(transition.to_residency, following)
        return transition.to_residency

    # -- applications --

    def _applicant_user(self, enterprise: Enterprise):
        membership = EnterpriseMembership.objects.filter(enterprise=enterprise).select_related("user").first()
        if membership is not None:
            return membership.user
        self.applicants += 1
        username = f"demo-applicant-{self.applicants:03d}"
        user = User(username=username, name=f"{enterprise.contact_name}（演示）", email=f"{username}@example.com")
        user.set_unusable_password()  # a made-up applicant: nobody signs in as them
        user.save()
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.ENTERPRISE]))
        enterprise_services.membership_create(enterprise=enterprise, user=user, by=self.operator)
        return user

    def _application_data(self, field, stage: str) -> dict:
        rng = self.rng
        project = rng.choice(PROJECTS.get(field.parent.name, ["新产品研发"]))
        area = {"seedbed": (10, 30), "incubator": (60, 200), "accelerator": (200, 400),
                "industrial_park": (500, 1200)}[stage]  # fmt: skip
        kinds = {"seedbed": "workstation", "incubator": rng.choice(["office", "lab"]), "accelerator": "office",
                 "industrial_park": "workshop"}  # fmt: skip
        return {
            "project_name": project,
            "technology": f"{project}：面向{field.name}领域，已完成小试，核心工艺具有自主知识产权。",
            "intellectual_property": f"发明专利申请 {rng.randint(1, 6)} 项，实用新型 {rng.randint(0, 8)} 项。",
            "team": f"核心团队 {rng.randint(3, 25)} 人，其中硕士及以上 {rng.randint(1, 8)} 人。",
            "market": "目标客户为齐鲁化工区及周边园区企业，已与两家企业签订试用协议。",
            "finances": f"上年营业收入 {rng.randint(0, 3000)} 万元，研发投入占比 {rng.randint(5, 30)}%。",
            "funding_needs": f"计划融资 {rng.randrange(100, 3000, 50)} 万元，用于研发与市场推广。",
            "funding_amount": Decimal(rng.randrange(100, 3000, 50)),
            "requested_area": Decimal(rng.randint(*area)),
            "requested_space_type": kinds[stage],
        }

    def _application(self, enterprise, carrier, stage, status, field, *, apply_on, admit: Stay | None = None,
                     expert_scores: bool | None = None) -> Application:  # fmt: skip
        """One application brought to `status` through the workflow's services; its dates then moved back so
        that it was created on `apply_on` and each step followed a few days after the last."""
        applicant = self._applicant_user(enterprise)
        application = services.application_create(enterprise=enterprise, carrier=carrier, stage=stage, by=applicant,
                                                  data=self._application_data(field, stage))  # fmt: skip
        plan = SimpleUploadedFile("商业计划书.pdf", PDF_BYTES, content_type="application/pdf")
        services.application_attach(application=application, upload=plan, title="商业计划书", kind="business_plan",
                                    by=applicant)  # fmt: skip
        steps = _Steps(rng=self.rng, application=application, staff=self.operator, day=apply_on, times=[apply_on])
        if status != S.DRAFT:
            steps.act("submit", by=applicant)
            steps.times[-1] = steps.day = apply_on  # submitted the day it was written
        status = self._screen(steps, status, applicant)
        if status in (S.EXPERT_REVIEW, S.DECISION, S.APPROVED, S.REJECTED, S.WITHDRAWN):
            status = self._review(steps, status, applicant, expert_scores)
        if status == S.APPROVED:
            steps.act("approve", "专家评审通过，同意入驻。")
        elif status == S.REJECTED:
            steps.act("reject", "专家评审平均分未达到入驻要求。")
        if admit is not None:
            self._admit(steps, admit)
        self._backdate(application, steps.times, steps.reviews)
        self.summary.applications += 1
        application.refresh_from_db()
        return application

    def _screen(self, steps: _Steps, status: str | None, applicant: User) -> str | None:
        """Withdrawn before screening, screened (with a request for more information), or rejected at screening:
        the status still to reach, None when the application got there."""
        rng = self.rng
        if status in (S.WITHDRAWN,) and rng.random() < 0.5:
            steps.act("withdraw", "企业战略调整，暂不入驻。", by=applicant)
            return None  # done
        if status in (S.SCREENING, S.MORE_INFO, S.EXPERT_REVIEW, S.DECISION, S.APPROVED, S.REJECTED, S.WITHDRAWN):
            steps.act("start_screening")
            if status == S.MORE_INFO or (status != S.SCREENING and rng.random() < 0.25):
                steps.act("request_more_info", rng.choice(MORE_INFO_MESSAGES))
                if status != S.MORE_INFO:
                    steps.act("respond", "已补充相关材料，请审阅。", by=applicant)
        if status == S.REJECTED and rng.random() < 0.4:
            steps.act("reject", "不符合入驻条件：注册时间超过要求或与载体重点领域不符。")
            return None
        return status

    def _review(self, steps: _Steps, status: str, applicant: User, expert_scores: bool | None) -> str | None:
        """Experts assigned and sent to review, some scores in, then withdrawn or the review closed: the status
        still to reach, None when the application got there."""
        rng, application = self.rng, steps.application
        experts = [self.experts[0], *rng.sample(self.experts[1:], k=min(len(self.experts) - 1, rng.randint(1, 2)))]
        assigned = steps.day
        for expert in experts:
            review = services.review_assign(application=application, expert=expert, by=steps.staff)
            steps.reviews.append([review, assigned, None])
        application.refresh_from_db()  # the rubric, fixed by the first assignment
        rubric = rules.rubric(application.scoring_rule_set)
        steps.act("send_to_review")
        for item in steps.reviews:
            done = status != S.EXPERT_REVIEW or rng.random() < 0.5
            if item[0].expert_id == self.experts[0].pk and status == S.EXPERT_REVIEW:
                done = expert_scores if expert_scores is not None else self._expert_turn()
            if status == S.WITHDRAWN:
                done = False
            if done:
                base = rng.randint(55, 90)
                scores = {item_.code: min(100, max(0, base + rng.randint(-10, 10))) for item_ in rubric}
                services.review_submit(review=item[0], scores=scores, comment=rng.choice(REVIEW_COMMENTS),
                                       by=item[0].expert)  # fmt: skip
                item[2] = steps.later(1, 4)
        if status == S.WITHDRAWN:
            steps.act("withdraw", "已获得其他园区入驻资格。", by=applicant)
            return None
        if status != S.EXPERT_REVIEW:
            steps.act("close_review")
        return status

    def _admit(self, steps: _Steps, admit: Stay) -> None:
        """Admit the approved application to the planned stay (its steps moved back to end before it starts)."""
        start = admit.start
        overrun = steps.day - (start - datetime.timedelta(days=1))
        if overrun.days > 0:  # the steps ran past the admission date: they happened earlier
            steps.times = [moment - overrun for moment in steps.times]
            steps.reviews = [[review, on - overrun, done - overrun if done else None]
                             for review, on, done in steps.reviews]  # fmt: skip
        services.application_admit(
            application=steps.application, started_on=start, by=steps.staff, planned_end_on=admit.planned_end,
            agreement_no=f"LZ-{start:%Y}-{self._next_serial():04d}", units=[admit.unit] if admit.unit else [],
            allocation_end=admit.end or admit.planned_end,
        )  # fmt: skip
        steps.times.append(min(start, self.today))
        if admit.unit:
            self.summary.allocations += 1

    def _operating_reports(self) -> None:
        """Annual operating reports of the demo tenants (companies in residency): verified for each year in
        residence since 2021, and last year's in every state (some not filed). Plain rows, like the records a
        newcomer types in: the history before the portal."""
        self.summary.operating_reports = _ReportWriter(self).run()

    def _expert_turn(self) -> bool:
        """The demo expert scores every other application under review, so they see both kinds."""
        self._expert_flag = not getattr(self, "_expert_flag", False)
        return self._expert_flag

    def _at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours time on `day` (never later than now)."""
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 17), self.rng.randrange(60)))
        )
        return min(moment, timezone.now())

    def _backdate(self, application: Application, times: list[datetime.date], reviews: list) -> None:
        """Move the application's own dates back to when the steps happened (the services stamped them now)."""
        # If the plan ran past today, shift every step back so that the last one happened by today.
        overrun = max(times) - self.today
        if overrun.days > 0:
            times = [day - overrun for day in times]
            reviews = [[r, a - overrun, s - overrun if s else None] for r, a, s in reviews]
        stamps = [self._at(day) for day in times]
        stamps = [max(stamps[: n + 1]) for n in range(len(stamps))]  # in order, even within a day
        events = list(application.events.order_by("id"))
        for event, stamp in zip(events, stamps, strict=False):
            ApplicationEvent.objects.filter(pk=event.pk).update(at=stamp)
        by_action = {event.action: stamp for event, stamp in zip(events, stamps, strict=False)}
        Application.objects.filter(pk=application.pk).update(
            created_at=stamps[0],
            updated_at=stamps[-1],
            submitted_at=by_action.get("submit"),
            decided_at=by_action.get("approve") or by_action.get("reject"),
        )
        application.documents.update(uploaded_at=stamps[0])
        for review, assigned, submitted in reviews:
            Review.objects.filter(pk=review.pk).update(
                assigned_at=self._at(assigned), submitted_at=self._at(submitted) if submitted else None
            )

    def _showcase(self, user) -> None:
        """The demo enterprise user's enterprise gets a draft and an application under expert review (the demo
        expert has not scored it yet), so a newcomer signing in as either sees something to do."""
        membership = EnterpriseMembership.objects.filter(user=user).select_related("enterprise").first()
        if membership is None:
            return
        enterprise = membership.enterprise
        if not (enterprise.contact_name and (enterprise.contact_phone or enterprise.contact_email)):
            enterprise = enterprise_services.enterprise_update(
                enterprise=enterprise, by=self.operator,
                data={"contact_name": user.name.split()[-1].replace("（演示）", "") or "陈晨",
                      "contact_phone": "13905330000", "contact_email": f"{user.username}@example.com"},
            )  # fmt: skip
        field = enterprise.industry_field or self.fields[0]
        residency = Residency.objects.filter(enterprise=enterprise, ended_on__isnull=True).first()
        home = residency.carrier if residency else self.carriers[CORE]
        next_stage = "industrial_park" if "industrial_park" in home.stages else "accelerator"
        recent = self.today - datetime.timedelta(days=25)
        self._application(enterprise, home, next_stage, S.EXPERT_REVIEW, field, apply_on=recent, expert_scores=False)
        core = self.carriers[CORE]
        stage = "accelerator" if (core, "accelerator") != (home, next_stage) else "incubator"
        self._application(enterprise, core, stage, S.DRAFT, field, apply_on=self.today - datetime.timedelta(days=3))


# Last year's reports of the demo tenants, in turn: most verified, a few not yet filed (the not-filed page and the
# reminders show them), some submitted and awaiting verification, one returned with a comment, one still a draft.
LAST_YEAR_PLAN = ["verified", None, "verified", "submitted", "verified", "returned", "draft", None, "verified",
                  "verified", "submitted", "verified"]  # fmt: skip
# Revenue (万元) of a tenant's first year at each stage, and how it grows.
REVENUE_BY_STAGE = {"seedbed": (10, 150), "incubator": (80, 1500), "accelerator": (800, 5000),
                    "industrial_park": (2000, 20000)}  # fmt: skip
RETURN_COMMENTS = ["研发费用与财务报表不一致，请核对后重新提交。", "从业人员中科技人员数量偏高，请说明口径。"]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _figures(rng: random.Random, revenue: float, employees: int, ip: int) -> dict:
    """One year's plausible figures around a revenue (万元), a head count and a count of valid IP."""
    rd = revenue * rng.uniform(0.04, 0.18)
    tech = max(1, int(employees * rng.uniform(0.15, 0.5)))
    return {
        "revenue": _money(revenue), "high_tech_revenue": _money(revenue * rng.uniform(0.5, 0.9)),
        "total_costs": _money(revenue * rng.uniform(0.8, 1.05)), "rd_expenditure": _money(rd),
        "total_assets": _money(revenue * rng.uniform(0.9, 2.5)),
        "rd_in_china": _money(rd * rng.choice([1, 1, 1, 0.9])), "employees": employees, "tech_staff": tech,
        "college_staff": min(employees, tech + int(employees * rng.uniform(0.2, 0.4))),
        "new_graduates": min(employees, rng.randint(0, max(1, employees // 8))),
        "tax_paid": _money(revenue * rng.uniform(0.02, 0.07)),
        "exports": _money(revenue * rng.choice([0, 0, 0, rng.uniform(0.05, 0.3)])),
        "invention_patents": ip // 4, "utility_models": ip // 2, "designs": ip // 8,
        "software_copyrights": ip - ip // 4 - ip // 2 - ip // 8, "other_ip": 0, "financing": Decimal("0"),
    }  # fmt: skip


class _ReportWriter:
    """Writes the demo tenants' operating reports (see DemoGenerator._operating_reports)."""

    def __init__(self, generator: DemoGenerator) -> None:
        self.g = generator

    def run(self) -> int:
        g, rng, today = self.g, self.g.figures_rng, self.g.today
        last_year = today.year - 1
        showcase = (
            EnterpriseMembership.objects.filter(user=g.applicant).values_list("enterprise_id", flat=True).first()
            if g.applicant is not None
            else None
        )
        residencies: dict[int, list[Residency]] = {}
        for residency in Residency.objects.filter(enterprise__is_demo=True, enterprise__kind="company").order_by(
            "enterprise__name", "started_on", "pk"
        ):
            residencies.setdefault(residency.enterprise_id, []).append(residency)
        enterprises = Enterprise.objects.filter(pk__in=residencies).exclude(operating_reports__isnull=False)
        financing: dict[tuple[int, int], Decimal] = {}
        for enterprise_id, occurred_on, amount in FinancingEvent.objects.filter(enterprise__in=enterprises).values_list(
            "enterprise_id", "occurred_on", "amount"
        ):
            key = (enterprise_id, occurred_on.year)
            financing[key] = financing.get(key, Decimal(0)) + amount
        rows: list[OperatingReport] = []
        turn = 0
        for enterprise in enterprises.order_by("name"):
            stays = residencies[enterprise.pk]
            registered = enterprise.registered_on.year if enterprise.registered_on else today.year
            years = [
                year for year in range(max(2021, registered), last_year + 1)
                if any(r.started_on.year <= year and (r.ended_on is None or r.ended_on.year >= year) for r in stays)
            ]  # fmt: skip
            if not years:
                continue
            stage = stays[0].stage
            revenue = rng.uniform(*REVENUE_BY_STAGE.get(stage, (50, 500)))
            employees, ip = rng.randint(5, 40), rng.randint(0, 6)
            for year in years:
                status = "verified"
                if year == last_year:
                    status = "returned" if enterprise.pk == showcase else LAST_YEAR_PLAN[turn % len(LAST_YEAR_PLAN)]
                    turn += enterprise.pk != showcase
                if status is not None:
                    rows.append(self._row(enterprise, year, status, revenue, employees, ip,
                                          financing.get((enterprise.pk, year), Decimal(0))))  # fmt: skip
                revenue *= rng.uniform(0.95, 1.45)
                employees = max(3, int(employees * rng.uniform(0.95, 1.3)))
                ip += rng.randint(0, 4)
        OperatingReport.objects.bulk_create(rows)
        return len(rows)

    def _row(self, enterprise, year, status, revenue, employees, ip, financing):
        g, rng = self.g, self.g.figures_rng
        figures = {**_figures(rng, revenue, employees, ip), "financing": financing}
        # Filed in the spring after the year, verified a few weeks later (the audit trail shows the real time).
        submitted = g._at(min(g.today, datetime.date(year + 1, 3, 1) + datetime.timedelta(days=rng.randrange(40))))
        verified = g._at(min(g.today, submitted.date() + datetime.timedelta(days=rng.randint(3, 30))))
        filed = status in ("submitted", "verified", "returned")
        return OperatingReport(
            enterprise=enterprise, year=year, period="annual", status=status, created_by=g.operator,
            submitted_at=submitted if filed else None, submitted_by=g.operator if filed else None,
            verified_at=verified if status == "verified" else None,
            verified_by=g.operator if status == "verified" else None,
            staff_comment=rng.choice(RETURN_COMMENTS) if status == "returned" else "", **figures,
        )  # fmt: skip


def role_user(username: str, *, name: str, role: Role) -> User:
    """The made-up account `username` in `role`'s group, created if missing with a password nobody can sign in
    with (the demo's extra experts and applicants, the benchmark's users)."""
    user, created = User.objects.get_or_create(username=username, defaults={"name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def demo_experts() -> list:
    """The demo expert (`expert`, who signs in) and two colleagues who score beside them (no password)."""
    colleagues = [("expert-sun", "评审专家 孙丽（演示）"), ("expert-zhou", "评审专家 周航（演示）")]
    return [User.objects.get(username="expert")] + [
        role_user(username, name=name, role=Role.EXPERT) for username, name in colleagues
    ]


def generated_exists() -> bool:
    return Enterprise.objects.filter(is_demo=True, uscc__startswith=GENERATED_USCC_PREFIX).exists()


def generate(*, seed: int, size: int, operator, experts: list, applicant=None, today=None) -> Summary:
    """Make `size` demo enterprises with their history (see the module's docstring), all in one transaction."""
    with transaction.atomic():
        summary = DemoGenerator(
            seed=seed, size=size, operator=operator, experts=experts, applicant=applicant, today=today
        ).run()
        inputs_changed()  # its bulk writes send no signals: the cached dashboards must be told
        return summary
