"""Demo accounts (one per role) and demo buildings, so a newcomer can look around. Idempotent.

The carriers, fields and anchors are not demo data: they come from the plan (migration parks.0003). Buildings
and units made here are marked 演示数据 (demo data) in their notes.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import GROUP_NAMES, Role
from parks.models import Building, Carrier, Unit

DEMO_PASSWORD = "Linzi@Demo2026"
DEMO_NOTE = "演示数据"

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


class Command(BaseCommand):
    help = "Create demo accounts (one per role) and demo buildings and units. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also run when DEBUG is off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo accounts with DEBUG off; pass --force if you mean it.")
        with transaction.atomic():
            users = self._users()
            self._space()
            park = Carrier.objects.get(code="big-data")
            park.staff.add(users["park"])
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
