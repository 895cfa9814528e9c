"""Accreditation readiness: each carrier judged, for a year, by every accreditation scheme's version in force
(targets.carrier_metrics gives the values, targets.selectors.evaluation the judging), beside the level it holds and
the next level it works toward. Reads only; nothing is kept."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Q

from accounts.roles import carrier_scope
from parks.choices import ACCREDITATION_RANK, AccreditationLevel
from parks.models import Accreditation, Carrier
from targets.carrier_metrics import load_carrier_facts
from targets.choices import SchemeSubject
from targets.models import Scheme, SchemeVersion, Target
from targets.selectors.evaluation import Judgement, criteria_with_bands, judge
from targets.selectors.sql import CORE_CARRIER_CODE

PAGE = "targets.readiness"
FIRST_YEAR = 2021  # the plan's first year: readiness is judged from it on
# The level each scheme accredits (a scheme not named here, such as another city's rules, is shown for reference).
SCHEME_LEVELS = {
    "accreditation_municipal": AccreditationLevel.MUNICIPAL,
    "accreditation_provincial": AccreditationLevel.PROVINCIAL,
    "accreditation_national": AccreditationLevel.NATIONAL,
}


@dataclasses.dataclass(frozen=True)
class LevelReadiness:
    scheme: Scheme
    judgement: Judgement | None  # None: no version in force on the day
    level: str | None  # the level it accredits (None: for reference)
    held: bool  # the carrier holds this level or a higher one


@dataclasses.dataclass(frozen=True)
class CarrierReadiness:
    carrier: Carrier
    held: str  # the highest level held on the day (AccreditationLevel)
    levels: tuple[LevelReadiness, ...]

    @property
    def next_level(self) -> LevelReadiness | None:
        """The lowest level it does not hold yet."""
        return next((item for item in self.levels if item.level and not item.held), None)

    @property
    def held_label(self) -> str:
        return str(AccreditationLevel(self.held).label)


def readiness_date(year: int, today: datetime.date) -> datetime.date:
    """A past year is judged as it ended; this year as it stands today."""
    return min(datetime.date(year, 12, 31), today)


def carriers_for_readiness(user) -> list[Carrier]:
    """The carriers whose readiness `user` reads: every carrier for the operating company and the bureau, park staff
    their own; none for anyone else."""
    _district, carriers = carrier_scope(user, PAGE)
    return list(carriers)


def versions_in_force(on: datetime.date) -> list[tuple[Scheme, SchemeVersion | None]]:
    """Every carrier scheme (in display order) with its version in force on `on`: three queries."""
    schemes = list(Scheme.objects.filter(subject=SchemeSubject.CARRIER).order_by("position", "code"))
    versions = (
        SchemeVersion.objects.select_related("scheme")
        .filter(scheme__in=schemes, published_at__isnull=False, effective_from__lte=on)
        .order_by("scheme_id", "-effective_from", "-version")
        .distinct("scheme_id")
        .prefetch_related(criteria_with_bands())
    )
    by_scheme = {version.scheme_id: version for version in versions}
    return [(scheme, by_scheme.get(scheme.pk)) for scheme in schemes]


def held_levels(carriers: list[Carrier], on: datetime.date) -> dict[int, str]:
    """The highest level each carrier holds on `on` (none recorded: not accredited). One query."""
    held: dict[int, str] = {}
    for carrier_id, level in Accreditation.objects.filter(carrier__in=carriers, awarded_on__lte=on).values_list(
        "carrier_id", "level"
    ):
        if ACCREDITATION_RANK[level] > ACCREDITATION_RANK[held.get(carrier_id, AccreditationLevel.NONE)]:
            held[carrier_id] = level
    return held


def carrier_readiness(*, carriers: list[Carrier], year: int, today: datetime.date) -> list[CarrierReadiness]:
    """Each carrier's readiness for `year`, judged on that year's figures as they stand on `readiness_date`. A
    fixed number of queries, whatever the number of carriers and tenants."""
    on = readiness_date(year, today)
    schemes = versions_in_force(on)
    held = held_levels(carriers, on)
    rows = []
    for carrier, facts in zip(carriers, load_carrier_facts(carriers, year=year, on=on), strict=True):
        level_held = held.get(carrier.pk, AccreditationLevel.NONE)
        levels = []
        for scheme, version in schemes:
            level = SCHEME_LEVELS.get(scheme.code)
            levels.append(
                LevelReadiness(
                    scheme=scheme,
                    judgement=judge(version, facts) if version else None,
                    level=level,
                    held=level is not None and ACCREDITATION_RANK[level_held] >= ACCREDITATION_RANK[level],
                )
            )
        rows.append(CarrierReadiness(carrier=carrier, held=level_held, levels=tuple(levels)))
    return rows


def accreditation_targets() -> list[Target]:
    """The plans' accreditation targets for the core (district-wide targets name the core's level), by year."""
    return list(
        Target.objects.filter(indicator="accreditation_level")
        .filter(Q(carrier__isnull=True) | Q(carrier__code=CORE_CARRIER_CODE))
        .select_related("plan")
        .order_by("year", "pk")
    )
