"""Fill the database named by DATABASE_URL with N made-up enterprises (default 20,000) and their history, fast:
rows are written with bulk_create in batches, not through the per-row services (demo.generator does that for the
small demo). The two generators share one vocabulary: each enterprise is demo.vocabulary's made_up_enterprise(),
each history is planned by demo.planner's HistoryPlanner (fields, registration, stays and moves), so they agree on
what a tenant and its life look like.

    createdb linzi_bench
    DATABASE_URL=postgres://…/linzi_bench python manage.py migrate
    DATABASE_URL=postgres://…/linzi_bench python bench/generate.py --enterprises 20000

It adds to what is there (run it on an empty, migrated database) and finishes with ANALYZE, so the planner knows
the tables' sizes before bench/run.py measures the pages.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import heapq
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PDF_NAME = "bench/business-plan.pdf"
BENCH_USERS = {  # username -> role; nobody signs in with a password: bench/run.py uses force_login
    "bench_operator": "operator",
    "bench_park": "park_staff",
    "bench_bureau": "bureau",
    "bench_expert": "expert",
    "bench_enterprise": "enterprise",
}
EXPERTS = 10  # bench_expert and nine colleagues
PATHS = {  # status -> the moves that led there, from draft
    "draft": [],
    "submitted": ["submit"],
    "screening": ["submit", "start_screening"],
    "more_info": ["submit", "start_screening", "request_more_info"],
    "expert_review": ["submit", "start_screening", "send_to_review"],
    "decision": ["submit", "start_screening", "send_to_review", "close_review"],
    "approved": ["submit", "start_screening", "send_to_review", "close_review", "approve"],
    "rejected": ["submit", "start_screening", "send_to_review", "close_review", "reject"],
    "withdrawn": ["submit", "start_screening", "withdraw"],
}
STATUS_WEIGHTS = {"draft": 1, "submitted": 2, "screening": 2, "more_info": 1, "expert_review": 3, "decision": 1,
                  "approved": 4, "rejected": 3, "withdrawn": 1}  # fmt: skip
REVIEWED = {"expert_review", "decision", "approved", "rejected"}


def setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    # The test settings: DEBUG off (no query log kept in memory, production's code paths), static files found
    # without collectstatic; the database and Redis come from DATABASE_URL and REDIS_URL.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


class BenchGenerator:
    """Plans every history with the demo's planner (demo.planner) and writes it in batches."""

    def __init__(
        self, *, size: int, seed: int = 20000, batch: int = 1000, today: datetime.date | None = None, quiet=False
    ):
        from django.utils import timezone

        from demo.planner import HistoryPlanner
        from enterprises.models import Enterprise

        self.size, self.batch, self.quiet = size, batch, quiet
        self.rng = random.Random(seed)  # noqa: S311 -- made-up data, reproducible by design
        self.today = today or timezone.localdate()
        self.planner = HistoryPlanner(rng=self.rng, today=self.today)
        # A second run adds to the first (the tests grow the data this way): codes and numbers go on from there.
        self.offset = Enterprise.objects.count()
        self.serial = self.offset * 1000
        self.counts: dict[str, int] = {}
        # The operating reports draw from their own generator, so the rest of the data is what it was without them.
        self.report_rng = random.Random(seed + 1)  # noqa: S311 -- made-up data, reproducible by design

    def _count(self, name: str, rows: list) -> list:
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        return rows

    # -- what every enterprise shares: users, space, the business plan file --

    def _users(self) -> None:
        from accounts.roles import Role
        from demo.generator import role_user

        names = {**BENCH_USERS, **{f"bench_expert{n}": "expert" for n in range(2, EXPERTS + 1)}}
        self.users = {
            username: role_user(username, name=f"{username}（基准测试）", role=Role(role))
            for username, role in names.items()
        }
        self.experts = [self.users["bench_expert"]] + [self.users[f"bench_expert{n}"] for n in range(2, EXPERTS + 1)]
        self.planner.carriers["big-data"].staff.add(self.users["bench_park"])

    def _space(self) -> None:
        """Buildings of 50 units for every stage of every carrier: about one unit per 20 enterprises and stage."""
        from django.db.models import Max, Q
        from django.db.models.functions import Upper

        from incubation.models import Allocation
        from parks.models import Building, Unit

        per_pair = max(2, self.size // 20)
        # Units let by an earlier run are free only from the end of their last letting.
        busy = {
            row["unit"]: datetime.date.max if row["open"] else row["until"]
            for row in Allocation.objects.values("unit").annotate(
                until=Max(Upper("period")), open=Max("pk", filter=Q(period__upper_inf=True))
            )
        }
        kinds = {"seedbed": ("workstation", 16), "incubator": ("office", 90), "accelerator": ("lab", 260),
                 "industrial_park": ("workshop", 800)}  # fmt: skip
        self.units: dict[tuple[int, str], list[tuple[datetime.date, int]]] = {}
        for carrier in self.planner.carriers.values():
            for stage in carrier.stages:
                kind, area = kinds[stage]
                units = []
                for number in range((per_pair + 49) // 50):
                    building, created = Building.objects.get_or_create(
                        carrier=carrier, name=f"基准测试{stage}楼{number + 1:03d}", defaults={"floors": 5}
                    )
                    count = min(50, per_pair - number * 50)
                    if not created:  # a run before this one
                        units += building.units.order_by("code")
                        continue
                    units += Unit.objects.bulk_create(
                        Unit(building=building, code=f"{n + 1:03d}", floor=n // 10 + 1, area_m2=Decimal(area),
                             kind=kind, stage_zone=stage)
                        for n in range(count)
                    )  # fmt: skip
                # A heap of (free from, unit id): each stay takes the unit free the longest, if it is free by then.
                heap = [(busy.get(unit.pk, datetime.date.min), unit.pk) for unit in units]
                heapq.heapify(heap)
                self.units[(carrier.pk, stage)] = heap
        self._count("units", [0] * sum(len(heap) for heap in self.units.values()))

    def _plan_file(self) -> None:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from demo.vocabulary import PDF_BYTES

        if not default_storage.exists(PDF_NAME):
            default_storage.save(PDF_NAME, ContentFile(PDF_BYTES))
        self.pdf_sha = hashlib.sha256(PDF_BYTES).hexdigest()
        self.pdf_size = len(PDF_BYTES)

    def _rubric(self) -> None:
        from incubation import rules
        from incubation.choices import RuleSetKind

        self.scoring = rules.rule_set_in_force(RuleSetKind.REVIEW_SCORING, self.today)
        self.rubric_codes = [item.code for item in rules.rubric(self.scoring)]

    # -- the enterprises, a batch at a time --

    def run(self) -> dict[str, int]:
        from django.db import connection, transaction

        started = time.perf_counter()
        with transaction.atomic():
            self._users()
            self._space()
            self._plan_file()
            self._rubric()
        for first in range(0, self.size, self.batch):
            with transaction.atomic():
                self._batch(range(first, min(self.size, first + self.batch)))
            if not self.quiet:
                print(f"  {min(self.size, first + self.batch):>6} enterprises  {time.perf_counter() - started:6.1f} s",
                  flush=True)  # fmt: skip
        self._carrier_returns()
        self._evaluate()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # bulk_create sends no signals: the cached dashboards must be told (targets.signals).
        from targets.signals import inputs_changed

        inputs_changed()
        return self.counts

    def _carrier_returns(self) -> None:
        """Each carrier's verified annual return for every year since 2021 (once: a second run adds none), so that
        accreditation readiness reads the figures only a return gives."""
        from decimal import Decimal

        from django.utils import timezone

        from enterprises.choices import ReportStatus
        from parks.models import Carrier
        from targets.models import CarrierReturn

        by, now = self.users["bench_operator"], timezone.now()
        returns = [
            CarrierReturn(
                carrier=carrier,
                year=year,
                status=ReportStatus.VERIFIED,
                operator_staff=12,
                professional_staff=10,
                certified_staff=6,
                mentors=8 + n,
                fund_size=Decimal(600 + 100 * n),
                fund_invested=Decimal(200),
                fund_cases=3 + n,
                fund_invested_tenants=3,
                income_rent=Decimal(300),
                income_services=Decimal(120),
                income_investment=Decimal(20),
                income_subsidies=Decimal(50),
                income_other=Decimal(0),
                events_held=20,
                training_sessions=6,
                training_attendance=300,
                public_platforms=2,
                tenants_patent_applications=5,
                created_by=by,
                submitted_by=by,
                submitted_at=now,
                verified_by=by,
                verified_at=now,
            )  # fmt: skip
            for n, carrier in enumerate(Carrier.objects.order_by("sort_order", "pk"))
            for year in range(2021, self.today.year)
        ]
        CarrierReturn.objects.bulk_create(self._count("carrier returns", returns), ignore_conflicts=True)

    def _evaluate(self) -> None:
        """Every enterprise evaluated for this year's round by the nightly schemes, as the nightly task does: one
        set-based pass each, timed, with its queries counted (a fixed number whatever the enterprises)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from targets.services import record_evaluations
        from targets.tasks import NIGHTLY_SCHEMES

        self.evaluation_runs = {}
        for scheme in NIGHTLY_SCHEMES:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                run = record_evaluations(scheme=scheme, year=self.today.year, on=self.today)
            seconds = time.perf_counter() - started
            self.counts[f"evaluations: {scheme}"] = run.recorded
            self.evaluation_runs[scheme] = {"seconds": round(seconds, 2), "queries": len(captured.captured_queries),
                                            "judged": run.judged}  # fmt: skip
            if not self.quiet:
                print(f"  evaluated {run.judged} enterprises by {scheme}: {seconds:.1f} s, "
                      f"{len(captured.captured_queries)} queries", flush=True)  # fmt: skip

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _batch(self, indexes: range) -> None:
        from enterprises.models import Enterprise

        plans = [self._plan(index) for index in indexes]
        enterprises = Enterprise.objects.bulk_create(self._count("enterprises", [plan["enterprise"] for plan in plans]))
        for plan, enterprise in zip(plans, enterprises, strict=True):
            plan["enterprise"] = enterprise
        self._records(plans)
        self._residencies(plans)
        self._applications(plans)
        self._operating_reports(plans)
        if indexes.start == 0 and self.offset == 0:
            from enterprises.models import EnterpriseMembership

            EnterpriseMembership.objects.get_or_create(
                user=self.users["bench_enterprise"], defaults={"enterprise": plans[0]["enterprise"]}
            )

    def _plan(self, index: int) -> dict:
        """One enterprise's rows, unsaved, and the plan of its stays and applications. The first one is well
        populated (it is the enterprise page bench/run.py measures)."""
        from demo.planner import GRADUATE, PROMOTE
        from demo.vocabulary import START, company_name, made_up_enterprise, random_day, serial_uscc, team_name
        from enterprises.models import Enterprise

        rng, planner = self.rng, self.planner
        rich = index == 0 and self.offset == 0
        carriers = list(planner.carriers.values())
        carrier = carriers[index % len(carriers)]  # every carrier has tenants, whatever the size
        stage = rng.choice(carrier.stages)
        field = planner.field_for(carrier)
        start = random_day(rng, START, self.today - datetime.timedelta(days=30))
        if rich:
            carrier, stage, start = planner.carriers["qizhihui"], "seedbed", START
        stays = planner.plan_stays(carrier, stage, start, field, PROMOTE if rich else "random")
        resident = rich or rng.random() < 0.8
        is_team = not rich and stage == "seedbed" and len(stays) == 1 and rng.random() < 0.3
        registered = None if is_team else planner.registration_before(stage, start)
        name = company_name(rng, field.name) if registered else team_name(rng, field.name)
        data = made_up_enterprise(
            rng, field=field, registered=registered, name=name, email=f"contact{self.offset + index:05d}@example.cn",
            uscc=serial_uscc(self.offset + index) if registered else None,  # unique to the index
        )  # fmt: skip
        enterprise = Enterprise(**data, is_demo=True)
        applications = []
        if rich:
            applications = [("approved", stays[0]), ("rejected", None), ("expert_review", None)]
        elif not resident or rng.random() < 0.3:
            statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
            status = rng.choices(statuses, weights)[0]
            applications = [(status, stays[0] if resident and status == "approved" else None)]
        graduation = next((s.end for s in stays if s.move == GRADUATE), None)
        return {
            "enterprise": enterprise, "founder": data["contact_name"], "registered": registered, "field": field,
            "rich": rich, "stays": stays if resident else [], "applications": applications, "graduation": graduation,
        }  # fmt: skip

    def _records(self, plans: list[dict]) -> None:
        from demo.vocabulary import INVESTORS, POSITIONS, person_name
        from enterprises.models import FinancingEvent, Honour, HTECertificate, TeamMember, TechSMERegistration

        rng, today = self.rng, self.today
        members, registrations, certificates, honours, financing = [], [], [], [], []
        for plan in plans:
            enterprise, rich, registered = plan["enterprise"], plan["rich"], plan["registered"]
            members.append(TeamMember(enterprise=enterprise, name=plan["founder"], position="总经理", is_founder=True))
            members += [
                TeamMember(enterprise=enterprise, name=person_name(rng), position=rng.choice(POSITIONS),
                           education="master")
                for _ in range(12 if rich else rng.randint(0, 4))
            ]  # fmt: skip
            if registered is None:
                continue
            registrations.extend(
                TechSMERegistration(enterprise=enterprise, year=year, registration_no=f"{year}B{self._next():09d}")
                for year in range(max(2021, registered.year + 1), today.year + 1)
                if rich or rng.random() < 0.75
            )
            issued = plan["graduation"] and plan["graduation"] - datetime.timedelta(days=90)
            if rich:
                issued = today - datetime.timedelta(days=400)
                certificates.append(HTECertificate(enterprise=enterprise, certificate_no=f"GRB{self._next():09d}",
                                                   issued_on=today - datetime.timedelta(days=1600)))  # fmt: skip
            elif issued is None and rng.random() < 0.2:
                issued = today - datetime.timedelta(days=rng.randint(30, 1500))
            if issued:
                certificates.append(HTECertificate(enterprise=enterprise, certificate_no=f"GRB{self._next():09d}",
                                                   issued_on=issued))  # fmt: skip
            honours.extend(
                Honour(enterprise=enterprise, kind=rng.choice(["innovative_sme", "gazelle"]), level="provincial",
                       year=rng.randint(2021, today.year))
                for _ in range(3 if rich else int(rng.random() < 0.2))
            )  # fmt: skip
            for n in range(6 if rich else rng.choice((0, 0, 1, 1, 2))):
                day = min(today, registered + datetime.timedelta(days=200 * (n + 1)))
                financing.append(FinancingEvent(enterprise=enterprise, occurred_on=day, round="angel",
                                                amount=Decimal(rng.randrange(50, 3000, 10)),
                                                investor=rng.choice(INVESTORS)))  # fmt: skip
        tables = [(TeamMember, members), (TechSMERegistration, registrations), (HTECertificate, certificates),
                  (Honour, honours), (FinancingEvent, financing)]  # fmt: skip
        for model, rows in tables:
            model.objects.bulk_create(self._count(model._meta.model_name, rows), batch_size=2000)

    def _operating_reports(self, plans: list[dict]) -> None:
        """Annual operating reports (经营数据填报) for 2021–2025: one a year for each company registered by the end
        of the year, growing from year to year, nearly all verified."""
        from enterprises.models import OperatingReport

        rng, author = self.report_rng, self.users["bench_enterprise"]
        statuses, weights = zip(*REPORT_STATUS_WEIGHTS.items(), strict=True)
        reports = []
        for plan in plans:
            registered = plan["registered"]
            if registered is None:
                continue
            revenue = Decimal(rng.randrange(20, 3000))
            employees = rng.randint(3, 60)
            ip = [rng.randint(0, 3) for _ in range(5)]
            for year in REPORT_YEARS:
                if registered.year > year or datetime.date(year + 1, 1, 31) > self.today:
                    continue
                revenue = (revenue * Decimal(rng.uniform(0.9, 1.4))).quantize(Decimal("0.01"))
                rd = (revenue * Decimal(rng.uniform(0.02, 0.12))).quantize(Decimal("0.01"))
                employees = max(1, employees + rng.randint(-2, 6))
                tech = rng.randint(0, employees)
                ip = [n + int(rng.random() < 0.3) for n in ip]
                status = rng.choices(statuses, weights)[0]
                submitted = _aware(datetime.date(year + 1, 1, 20)) if status != "draft" else None
                reports.append(
                    OperatingReport(
                        enterprise=plan["enterprise"], year=year, period="annual", status=status,
                        revenue=revenue, high_tech_revenue=(revenue * Decimal("0.6")).quantize(Decimal("0.01")),
                        total_costs=(revenue * Decimal("0.85")).quantize(Decimal("0.01")),
                        total_assets=(revenue * Decimal("1.8")).quantize(Decimal("0.01")),
                        rd_expenditure=rd, rd_in_china=rd, employees=employees, tech_staff=tech,
                        college_staff=rng.randint(0, employees), new_graduates=rng.randint(0, min(3, employees)),
                        tax_paid=(revenue * Decimal("0.05")).quantize(Decimal("0.01")),
                        exports=Decimal(0), invention_patents=ip[0], utility_models=ip[1], designs=ip[2],
                        software_copyrights=ip[3], other_ip=ip[4],
                        financing=Decimal(rng.choice((0, 0, 0, 100, 500))),
                        created_by=author, submitted_at=submitted, submitted_by=author if submitted else None,
                        verified_at=_aware(datetime.date(year + 1, 3, 1)) if status == "verified" else None,
                        verified_by=self.users["bench_operator"] if status == "verified" else None,
                    )
                )  # fmt: skip
        OperatingReport.objects.bulk_create(self._count("operating reports", reports), batch_size=2000)

    def _residencies(self, plans: list[dict]) -> None:
        from psycopg2.extras import DateRange

        from demo.planner import EXIT, GRADUATE, PROMOTE, TRANSFER
        from incubation.choices import ResidencyEndReason
        from incubation.models import Allocation, Residency, Transition

        reasons = {PROMOTE: ResidencyEndReason.PROMOTED, TRANSFER: ResidencyEndReason.TRANSFERRED,
                   GRADUATE: ResidencyEndReason.GRADUATED, EXIT: ResidencyEndReason.EXITED_VOLUNTARY}  # fmt: skip
        residencies = []
        for plan in plans:
            for stay in plan["stays"]:
                stay.residency = Residency(
                    enterprise=plan["enterprise"], carrier=stay.carrier, stage=stay.stage, started_on=stay.start,
                    planned_end_on=stay.planned_end, ended_on=stay.end, end_reason=reasons.get(stay.move, ""),
                    agreement_no=f"B-{self._next():07d}",
                )  # fmt: skip
                residencies.append(stay.residency)
        Residency.objects.bulk_create(self._count("residencies", residencies), batch_size=2000)
        transitions, allocations = [], []
        by = self.users["bench_operator"]
        for plan in plans:
            for stay, following in zip(plan["stays"], [*plan["stays"][1:], None], strict=False):
                residency = stay.residency
                if stay.move is not None:
                    transitions.append(Transition(
                        enterprise=plan["enterprise"], kind=stay.move, occurred_on=stay.end, from_residency=residency,
                        to_residency=following.residency if following else None, by=by,
                        note="迁出" if stay.move == EXIT else "",
                    ))  # fmt: skip
                end = stay.end or stay.planned_end
                heap = self.units[(stay.carrier.pk, stay.stage)]
                if heap and heap[0][0] <= stay.start and self.rng.random() < 0.9:
                    _free, unit_id = heapq.heappop(heap)
                    period = DateRange(stay.start, end)
                    allocations.append(Allocation(residency=residency, unit_id=unit_id, period=period))
                    heapq.heappush(heap, (end, unit_id))
        Transition.objects.bulk_create(self._count("transitions", transitions), batch_size=2000)
        Allocation.objects.bulk_create(self._count("allocations", allocations), batch_size=2000)

    def _applications(self, plans: list[dict]) -> None:
        from demo.vocabulary import PROJECTS, REVIEW_COMMENTS
        from enterprises.models import Document
        from incubation import rules
        from incubation.models import Application, ApplicationEvent, Review

        rng = self.rng
        applicant, staff = self.users["bench_enterprise"], self.users["bench_operator"]
        applications, documents, moves = [], [], []
        for plan in plans:
            for number, (status, admitted) in enumerate(plan["applications"]):
                stay = plan["stays"][0] if plan["stays"] else None
                carrier = stay.carrier if stay else self.planner.carriers["qizhihui"]
                stage = stay.stage if stay else "incubator"
                if number:  # the rich enterprise's other applications: other places, so never two open at one
                    carrier = self.planner.parks[number]
                    stage = "industrial_park" if number == 1 else "incubator"
                submitted = None
                if status != "draft":
                    day = (admitted.start - datetime.timedelta(days=60)) if admitted else (
                        self.today - datetime.timedelta(days=rng.randint(5, 1500)))  # fmt: skip
                    submitted = _aware(day)
                project = rng.choice(PROJECTS.get(plan["field"].parent.name, ["新产品研发"]))
                application = Application(
                    enterprise=plan["enterprise"], carrier=carrier, stage=stage, status=status, project_name=project,
                    technology=f"{project}：已完成小试。", intellectual_property="发明专利申请 2 项。",
                    team="核心团队 8 人。", market="齐鲁化工区及周边园区企业。", finances="上年营收 300 万元。",
                    funding_needs="天使轮 500 万元。", requested_area=Decimal(100), requested_space_type="office",
                    created_by=applicant, submitted_at=submitted,
                    decided_at=submitted if status in ("approved", "rejected") else None,
                    scoring_rule_set=self.scoring if status in REVIEWED else None,
                    residency=getattr(admitted, "residency", None) if admitted else None,
                    decision_reason="专家评审通过。" if status == "approved" else "",
                )  # fmt: skip
                applications.append(application)
                documents.append(Document(
                    enterprise=plan["enterprise"], kind="business_plan", title="商业计划书", file=PDF_NAME,
                    original_name="商业计划书.pdf", content_type="application/pdf", size=self.pdf_size,
                    sha256=self.pdf_sha, uploaded_by=applicant,
                ))  # fmt: skip
                moves.append((status, plan["rich"]))
        for application in applications:
            if application.residency is not None:
                application.residency_id = application.residency.pk
        Application.objects.bulk_create(self._count("applications", applications), batch_size=2000)
        Document.objects.bulk_create(self._count("documents", documents), batch_size=2000)
        Through = Application.documents.through
        Through.objects.bulk_create(
            [Through(application_id=a.pk, document_id=d.pk) for a, d in zip(applications, documents, strict=True)],
            batch_size=2000,
        )
        events, reviews = [], []
        for application, (status, rich) in zip(applications, moves, strict=True):
            events.append(ApplicationEvent(application=application, action="create", to_status="draft", by=applicant))
            before = "draft"
            for move in PATHS[status]:
                target = {"submit": "submitted", "start_screening": "screening", "request_more_info": "more_info",
                          "send_to_review": "expert_review", "close_review": "decision", "approve": "approved",
                          "reject": "rejected", "withdraw": "withdrawn"}[move]  # fmt: skip
                by = applicant if move in ("submit", "withdraw") else staff
                events.append(ApplicationEvent(application=application, action=move, from_status=before,
                                               to_status=target, by=by))  # fmt: skip
                before = target
            if application.residency_id:
                events.append(ApplicationEvent(application=application, action="admit", from_status="approved",
                                               to_status="approved", by=staff))  # fmt: skip
            if status in REVIEWED:
                # The well-populated enterprise's reviews include bench_expert's, so that role's queue has rows.
                experts = [self.experts[0], *rng.sample(self.experts[1:], 2)] if rich else (
                    rng.sample(self.experts, 3))  # fmt: skip
                for expert in experts:
                    done = status != "expert_review" or rng.random() < 0.5
                    scores = {code: rng.randint(50, 95) for code in self.rubric_codes} if done else {}
                    reviews.append(Review(
                        application=application, expert=expert, assigned_by=staff, scores=scores,
                        comment=rng.choice(REVIEW_COMMENTS) if done else "",
                        weighted_score=rules.weighted_score(self.scoring, scores) if done else None,
                        submitted_at=application.submitted_at if done else None,
                    ))  # fmt: skip
        ApplicationEvent.objects.bulk_create(self._count("application events", events), batch_size=5000)
        Review.objects.bulk_create(self._count("reviews", reviews), batch_size=2000)


REPORT_YEARS = range(2021, 2026)  # five years of annual operating reports
# status -> weight: most annual reports are verified by now; a few are still in the pipeline.
REPORT_STATUS_WEIGHTS = {"verified": 90, "submitted": 5, "returned": 2, "draft": 3}


def _aware(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    options = parser.parse_args(argv)
    setup_django()
    started = time.perf_counter()
    counts = BenchGenerator(size=options.enterprises, seed=options.seed, batch=options.batch).run()
    print(f"Done in {time.perf_counter() - started:.0f} s:")
    for name, count in counts.items():
        print(f"  {name:<22} {count:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
