"""Demo accounts (one per role), demo buildings, and demo tenants with their history, so a newcomer can look
around. Idempotent.

The carriers, fields and anchors are not demo data: they come from the plan (migration parks.0003). Buildings
and units made here are marked 演示数据 (demo data) in their notes; enterprises are marked is_demo. Beside the
few hand-written enterprises below, demo.generator generates a deterministic history (--enterprises, --seed).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from psycopg2.extras import DateRange

from accounts.models import User
from accounts.roles import GROUP_NAMES, Role
from demo import generator as demo
from demo.vocabulary import DEMO_NOTE, uscc_from_body
from enterprises.models import (
    CorporateEvent,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    HTECertificate,
    OperatingReport,
    TeamMember,
    TechSMERegistration,
)
from incubation.models import Allocation, Residency
from parks.models import Building, Carrier, FocusField, Unit
from targets.models import CarrierReturn, Scheme, TargetPlan
from targets.services import (
    FIRST_ADDABLE_YEAR,
    mark_candidate,
    plan_add_year,
    record_evaluations,
    record_follow_up,
    return_act,
    return_create,
)

DEMO_PASSWORD = "Linzi@Demo2026"
DEMO_SIZE = 80  # generated enterprises: enough to fill every list, quick enough for `python3 dev.py run`
DEMO_SEED = 2021

DEMO_USERS = [
    # username, name, role
    ("admin", "系统管理员（演示）", Role.ADMIN),
    ("operator", "运营公司 王敏（演示）", Role.OPERATOR),
    ("park", "大数据产业园 李强（演示）", Role.PARK_STAFF),
    ("bureau", "区科技局 张华（演示）", Role.BUREAU),
    ("expert", "评审专家 赵磊（演示）", Role.EXPERT),
    ("enterprise", "企业用户 陈晨（演示）", Role.ENTERPRISE),
]

# carrier code -> [(building, floors, [(unit code, floor, area, kind, zone), ...])]
DEMO_SPACE = {
    "qizhihui": [
        (
            "齐智汇孵化中心A座",
            5,
            [
                ("A101", 1, "18", "workstation", "seedbed"),
                ("A102", 1, "18", "workstation", "seedbed"),
                ("A103", 1, "120", "public_service", "seedbed"),
                ("A201", 2, "86.5", "office", "incubator"),
                ("A202", 2, "92", "office", "incubator"),
                ("A203", 2, "140", "lab", "incubator"),
                ("A301", 3, "260", "lab", "accelerator"),
                ("A302", 3, "310", "office", "accelerator"),
            ],
        )
    ],
    "green-chemicals": [
        (
            "绿色化工孵化楼",
            4,
            [
                ("101", 1, "150", "lab", "incubator"),
                ("102", 1, "600", "workshop", "industrial_park"),
            ],
        )
    ],
    "big-data": [
        (
            "大数据产业园1号楼",
            6,
            [
                ("301", 3, "95", "office", "incubator"),
                ("302", 3, "110", "office", "incubator"),
                ("501", 5, "800", "office", "industrial_park"),
            ],
        )
    ],
    "intelligent-manufacturing": [
        (
            "智能制造中试车间",
            2,
            [
                ("W1", 1, "1200", "workshop", "industrial_park"),
                ("W2", 1, "180", "lab", "incubator"),
            ],
        )
    ],
    "new-medicine": [
        (
            "新医药孵化楼",
            5,
            [
                ("201", 2, "160", "lab", "incubator"),
                ("GMP-1", 1, "900", "workshop", "industrial_park"),
            ],
        )
    ],
    "new-materials": [
        (
            "新材料研发楼",
            4,
            [
                ("101", 1, "130", "lab", "incubator"),
                ("102", 1, "700", "workshop", "industrial_park"),
            ],
        )
    ],
}


# name, focus field, registered (y, m), founder type, high-tech field, tech-SME years, HTE issued (y, m, d) or None,
# financing [(y, m, round, 万元, investor)]. All made up; every row is marked is_demo.
DEMO_ENTERPRISES = [
    (
        "淄博齐创新材料科技有限公司",
        "化工新材料",
        (2021, 4),
        "scientist",
        "new_materials",
        [2022, 2023, 2024, 2025],
        (2023, 12, 8),
        [(2022, 6, "angel", "300", "齐鲁创投（演示）")],
    ),
    (
        "临淄云翔数据服务有限公司",
        "云计算",
        (2022, 3),
        "university_student",
        "electronic_information",
        [2023, 2024],
        None,
        [(2023, 9, "seed", "80", "淄博天使基金（演示）")],
    ),
    (
        "山东智驾线控科技有限公司",
        "线控底盘",
        (2021, 9),
        "returnee",
        "advanced_manufacturing",
        [2022, 2023, 2024, 2025],
        (2024, 11, 20),
        [(2022, 3, "angel", "500", "智能制造产业基金（演示）"), (2024, 5, "series_a", "2000", "某创投（演示）")],
    ),
    ("齐都生物医药研发有限公司", "生物制药", (2023, 2), "scientist", "biomedicine", [2024, 2025], None, []),
    ("淄博特种纸新材料有限公司", "特种纸", (2020, 7), "other", "new_materials", [2021, 2022], (2021, 12, 15), []),
    ("临淄聚氨酯应用技术有限公司", "聚氨酯", (2024, 5), "other", "new_materials", [2025], None, []),
]
DEMO_TEAMS = [("智能机器人创业团队", "机器人"), ("中药配方颗粒项目组", "中药")]
# Mergers, acquisitions and listings (graduation (d)): name -> [(date, kind, counterparty, board, security code)].
DEMO_CORPORATE_EVENTS = {
    "山东智驾线控科技有限公司": [(date(2025, 8, 20), "listed", "", "neeq", "874321")],
    "淄博特种纸新材料有限公司": [(date(2024, 10, 10), "acquired", "山东华泰纸业集团（演示）", "", "")],
}

# Tenants near the tech-SME evaluation's lines (国科发政〔2017〕115号), with a verified report of last year, so the
# qualification pages and the cultivation list have something real to show: (number, name, carrier, figures).
# Exactly 60 points (tech staff 30 %: 20, R&D 2.5 % of sales: 10, two invention patents: 30), six short (20 + 10 +
# four utility models: 24 = 54), and 100 points whose total assets were not given (unknown: cannot tell yet).
NEAR_THE_LINE = [
    (21, "临淄恒越智能装备有限公司", "qizhihui",
     {"employees": 40, "tech_staff": 12, "revenue": "1200", "total_costs": "950", "rd_expenditure": "30",
      "rd_in_china": "30", "invention_patents": 2, "utility_models": 3, "total_assets": "2600"}),
    (22, "淄博云岭数据服务有限公司", "big-data",
     {"employees": 25, "tech_staff": 8, "revenue": "800", "total_costs": "700", "rd_expenditure": "20",
      "rd_in_china": "20", "invention_patents": 0, "utility_models": 4, "total_assets": "900"}),
    (23, "齐鲁晶材科技有限公司", "big-data",
     {"employees": 60, "tech_staff": 20, "revenue": "3000", "total_costs": "2600", "rd_expenditure": "210",
      "rd_in_china": "210", "invention_patents": 3, "utility_models": 6, "total_assets": None}),
]  # fmt: skip


def demo_uscc(number: int) -> str:
    return uscc_from_body(f"91370305MA{number:07d}")  # a made-up Linzi code: market regulation, enterprise, 370305


class Command(BaseCommand):
    help = "Create demo accounts (one per role) and demo buildings and units. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also run when DEBUG is off")
        parser.add_argument(
            "--enterprises", type=int, default=DEMO_SIZE, help=f"generated demo enterprises (default {DEMO_SIZE})"
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="seed of the generator: same seed, same data")

    def handle(self, *args, force: bool = False, enterprises: int = DEMO_SIZE, seed: int = DEMO_SEED, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo accounts with DEBUG off; pass --force if you mean it.")
        with transaction.atomic():
            users = self._users()
            self._space()
            park = Carrier.objects.get(code="big-data")
            park.staff.add(users["park"])
            self._enterprises(users["enterprise"])
            if enterprises > 0 and not demo.generated_exists():
                summary = demo.generate(
                    seed=seed, size=enterprises, operator=users["operator"], experts=demo.demo_experts(),
                    applicant=users["enterprise"],
                )  # fmt: skip
                self.stdout.write(
                    f"Demo history: {summary.enterprises} enterprises, {summary.residencies} residencies, "
                    f"{summary.transitions} transitions, {summary.allocations} allocations, "
                    f"{summary.applications} applications, {summary.operating_reports} operating reports."
                )
            self._near_the_line(users["operator"], users["park"])
            self._this_years_targets(users["bureau"])
            self._carrier_returns(users["operator"], users["park"])
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, _name, role in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {GROUP_NAMES[role]}")
        self.stdout.write("")

    def _users(self) -> dict[str, User]:
        users = {}
        for username, name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@example.com"
                user.is_staff = user.is_superuser = role is Role.ADMIN
                user.save()
            user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
            users[username] = user
        return users

    def _space(self) -> None:
        for code, buildings in DEMO_SPACE.items():
            carrier = Carrier.objects.get(code=code)
            for name, floors, units in buildings:
                building, _ = Building.objects.get_or_create(
                    carrier=carrier, name=name, defaults={"floors": floors, "note": DEMO_NOTE}
                )
                for unit_code, floor, area, kind, zone in units:
                    Unit.objects.get_or_create(
                        building=building,
                        code=unit_code,
                        defaults={
                            "floor": floor,
                            "area_m2": Decimal(area),
                            "kind": kind,
                            "stage_zone": zone,
                            "note": DEMO_NOTE,
                        },
                    )

    def _enterprises(self, enterprise_user: User) -> None:
        fields = {field.name: field for field in FocusField.objects.exclude(parent=None)}
        for number, spec in enumerate(DEMO_ENTERPRISES, start=1):
            name, field, (year, month), founder, hitech, sme_years, hte, financing = spec
            enterprise, created = Enterprise.objects.get_or_create(
                uscc=demo_uscc(number),
                defaults={
                    "name": name,
                    "kind": "company",
                    "registered_on": date(year, month, 1),
                    "industry_field": fields[field],
                    "founder_type": founder,
                    "high_tech_field": hitech,
                    "legal_representative": "（演示）",
                    "address": "山东省淄博市临淄区（演示地址）",
                    "is_demo": True,
                },
            )
            if not created:
                continue
            TeamMember.objects.create(enterprise=enterprise, name="创始人（演示）", position="总经理", is_founder=True)
            for sme_year in sme_years:
                TechSMERegistration.objects.create(
                    enterprise=enterprise, year=sme_year, registration_no=f"{sme_year}3703050{number:02d}A"
                )
            if hte:
                HTECertificate.objects.create(
                    enterprise=enterprise, certificate_no=f"GR{hte[0]}370{number:05d}", issued_on=date(*hte)
                )
            for f_year, f_month, round_, amount, investor in financing:
                FinancingEvent.objects.create(
                    enterprise=enterprise,
                    occurred_on=date(f_year, f_month, 15),
                    round=round_,
                    amount=Decimal(amount),
                    investor=investor,
                )
            for on, kind, counterparty, board, code in DEMO_CORPORATE_EVENTS.get(name, []):
                CorporateEvent.objects.create(
                    enterprise=enterprise, occurred_on=on, kind=kind, counterparty=counterparty, board=board,
                    security_code=code,
                )  # fmt: skip
        for name, field in DEMO_TEAMS:
            Enterprise.objects.get_or_create(
                name=name, kind="team", defaults={"industry_field": fields[field], "is_demo": True}
            )
        self._residencies()
        if not EnterpriseMembership.objects.filter(user=enterprise_user).exists():
            EnterpriseMembership.objects.create(
                user=enterprise_user, enterprise=Enterprise.objects.get(uscc=demo_uscc(1))
            )

    def _near_the_line(self, operator: User, park_staff: User) -> None:
        """Three tenants near the tech-SME lines, every enterprise evaluated for this year's round, and two of them
        marked as candidates with a follow-up each."""
        today = timezone.localdate()
        fields = {field.name: field for field in FocusField.objects.exclude(parent=None)}
        for number, name, code, figures in NEAR_THE_LINE:
            enterprise, created = Enterprise.objects.get_or_create(
                uscc=demo_uscc(number),
                defaults={"name": name, "kind": "company", "registered_on": date(2022, 4, 1), "is_demo": True,
                          "industry_field": fields.get("大数据"),
                          "high_tech_field": "electronic_information", "address": "山东省淄博市临淄区（演示地址）"},
            )  # fmt: skip
            if not created:
                continue
            Residency.objects.create(
                enterprise=enterprise, carrier=Carrier.objects.get(code=code), stage="incubator",
                started_on=date(2023, 5, 1), planned_end_on=date(2027, 5, 1), note=DEMO_NOTE,
            )  # fmt: skip
            now = timezone.now()
            OperatingReport.objects.create(
                enterprise=enterprise, year=today.year - 1, status="verified", created_by=operator, submitted_at=now,
                verified_at=now, high_tech_revenue=Decimal(figures["revenue"]) * Decimal("0.7"),
                **{key: Decimal(value) if isinstance(value, str) else value for key, value in figures.items()},
            )  # fmt: skip
        for scheme in ("tech_sme_evaluation", "hte_recognition"):
            record_evaluations(scheme=scheme, year=today.year, on=today)
        tech_sme = Scheme.objects.get(code="tech_sme_evaluation")
        for number, by, note in (
            (22, park_staff, "研发费用归集需辅导（演示）"),
            (23, operator, "待补报资产总额（演示）"),
        ):
            enterprise = Enterprise.objects.get(uscc=demo_uscc(number))
            candidate = mark_candidate(scheme=tech_sme, enterprise=enterprise, year=today.year, note=note, by=by)
            if not candidate.follow_ups.exists():
                record_follow_up(candidate=candidate, occurred_on=today, note=note, by=by,
                                 next_on=today + timedelta(days=30))  # fmt: skip

    def _this_years_targets(self, bureau: User) -> None:
        """This year's tech-SME and HTE targets (the plan ran to 2023; the bureau extends it), so the dashboard shows
        the engine's forecast against them."""
        plan = TargetPlan.objects.filter(start_year=2021).first()
        year = timezone.localdate().year
        if plan is None or year < FIRST_ADDABLE_YEAR or plan.targets.filter(year=year).exists():
            return
        plan_add_year(
            plan=plan, year=year, by=bureau, reason="演示数据：延续方案的年度目标（示例）",
            targets=[{"indicator": "tech_smes", "form": "yearly", "value": Decimal(6)},
                     {"indicator": "htes", "form": "yearly", "value": Decimal(3)}],
        )  # fmt: skip

    def _carrier_returns(self, operator: User, park_staff: User) -> None:
        """A return for every carrier and year from 2021 to last year, verified, except last year's at three parks:
        大数据产业园's a draft its manager has begun, 新医药's submitted and awaiting the operating company,
        智能制造's returned with a comment. The figures are made up (the scale follows each carrier's size)."""
        today = timezone.localdate()
        last = today.year - 1
        pending = {"big-data": "draft", "new-medicine": "submitted", "intelligent-manufacturing": "returned"}
        for index, carrier in enumerate(Carrier.objects.order_by("sort_order", "id")):
            by = park_staff if carrier.code == "big-data" else operator
            scale = 3 if carrier.kind == "core" else 1
            for year in range(2021, last + 1):
                if CarrierReturn.objects.filter(carrier=carrier, year=year).exists():
                    continue
                grow = year - 2020
                figures = {
                    "operator_staff": 6 * scale + grow, "professional_staff": 5 * scale + grow,
                    "certified_staff": 3 * scale + grow // 2, "mentors": 4 * scale + grow + index,
                    "fund_size": Decimal(300 * scale + 50 * grow), "fund_invested": Decimal(60 * scale + 20 * grow),
                    "fund_cases": scale + grow // 2, "fund_invested_tenants": scale + grow // 2,
                    "income_rent": Decimal(180 * scale + 15 * grow), "income_services": Decimal(40 * scale + 12 * grow),
                    "income_investment": Decimal(5 * grow), "income_subsidies": Decimal(50 * scale),
                    "income_other": Decimal(3 + index), "events_held": 8 * scale + 2 * grow,
                    "training_sessions": 3 * scale + grow, "training_attendance": 90 * scale + 20 * grow,
                    "public_platforms": scale, "tenants_patent_applications": 0,
                }  # fmt: skip
                state = pending.get(carrier.code, "verified") if year == last else "verified"
                if state == "draft":
                    figures = {name: figures[name] for name in ("operator_staff", "professional_staff", "mentors")}
                carrier_return = return_create(carrier=carrier, year=year, by=by, data=figures)
                if state == "draft":
                    continue
                carrier_return = return_act(carrier_return=carrier_return, move="submit", by=by)
                if state == "returned":
                    return_act(carrier_return=carrier_return, move="return", by=operator,
                               message="培训人次与培训记录不一致，请核对后重新提交（演示）")  # fmt: skip
                elif state == "verified":
                    return_act(carrier_return=carrier_return, move="verify", by=operator)

    def _residencies(self) -> None:
        """Demo tenants: each demo enterprise in residence at the carrier of its field, with a unit let."""
        placements = {  # demo enterprise number -> (carrier code, stage, start)
            1: ("green-chemicals", "incubator", date(2022, 5, 1)),
            2: ("big-data", "incubator", date(2023, 3, 1)),
            3: ("qizhihui", "accelerator", date(2024, 9, 1)),
            4: ("new-medicine", "incubator", date(2023, 6, 1)),
            6: ("qizhihui", "incubator", date(2024, 7, 1)),
        }
        for number, (code, stage, start) in placements.items():
            enterprise = Enterprise.objects.get(uscc=demo_uscc(number))
            if Residency.objects.filter(enterprise=enterprise).exists():
                continue
            carrier = Carrier.objects.get(code=code)
            residency = Residency.objects.create(
                enterprise=enterprise, carrier=carrier, stage=stage, started_on=start,
                planned_end_on=date(start.year + 4, start.month, 1), agreement_no=f"DEMO-{number:03d}",
                note=DEMO_NOTE,
            )  # fmt: skip
            taken = Allocation.objects.values("unit_id")
            unit = (
                Unit.objects.filter(building__carrier=carrier, stage_zone=stage).exclude(pk__in=taken).order_by("pk")
            ).first()
            if unit is not None:
                Allocation.objects.create(residency=residency, unit=unit, period=DateRange(start, None))
        for name, _field in DEMO_TEAMS[:1]:
            team = Enterprise.objects.get(name=name, kind="team")
            if not Residency.objects.filter(enterprise=team).exists():
                Residency.objects.create(
                    enterprise=team, carrier=Carrier.objects.get(code="qizhihui"), stage="seedbed",
                    started_on=date(2025, 9, 1), planned_end_on=date(2026, 9, 1), note=DEMO_NOTE,
                )  # fmt: skip
