"""The plan of a made-up enterprise's history, shared by the demo (demo.generator) and the benchmark
(bench/generate.py): which focus field, when it registered, and its stays (carrier, stage, dates, how each ends).
"""

from __future__ import annotations

import dataclasses
import datetime
import random

from demo.vocabulary import CORE, add_months
from parks.models import Carrier, FocusField, Unit

PROMOTE, TRANSFER, GRADUATE, EXIT = "promote", "transfer", "graduate", "exit"
LIMIT_MONTHS = {"seedbed": 12, "incubator": 48, "accelerator": 36, "industrial_park": 60}
STAY_MONTHS = {"seedbed": (6, 18), "incubator": (14, 40), "accelerator": (12, 30), "industrial_park": (24, 60)}


@dataclasses.dataclass
class Stay:
    carrier: Carrier
    stage: str
    start: datetime.date
    planned_end: datetime.date
    end: datetime.date | None = None
    move: str | None = None  # how it ends: PROMOTE, TRANSFER, GRADUATE, EXIT, or None (still open)
    unit: Unit | None = None


class HistoryPlanner:
    """Plans made-up histories from the district's reference data: which field, when registered, and the stays
    (carrier, stage, dates, how each ends). Shared by the demo generator and the benchmark generator (bench/)."""

    def __init__(self, *, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        # Reference data, in a stable order (the same seed must give the same plan in any database).
        self.carriers = {c.code: c for c in Carrier.objects.order_by("sort_order", "code")}
        self.parks = [c for c in self.carriers.values() if c.code != CORE]
        leaves = FocusField.objects.exclude(parent=None).select_related("parent")
        self.fields = sorted(leaves, key=lambda f: (f.parent.sort_order, f.parent.name, f.sort_order, f.name))
        # A leaf field -> the park that focuses on it (the core takes every field).
        self.park_of_field: dict[int, Carrier] = {}
        for park in self.parks:
            for field in park.focus_fields.all():
                self.park_of_field[field.pk] = park
        self.fields_of_park = {
            park.code: [f for f in self.fields if self.park_of_field.get(f.pk) == park] for park in self.parks
        }

    # -- planning --

    def field_for(self, carrier: Carrier):
        pool = self.fields if carrier.code == CORE else self.fields_of_park[carrier.code]
        return self.rng.choice(pool)

    def next_move(self, stay: Stay) -> str | None:
        options: list[tuple[str | None, int]] = [(None, 3), (EXIT, 1)]
        if stay.stage == "seedbed":
            options.append((PROMOTE, 5))
        elif stay.stage == "incubator":
            options += [(PROMOTE, 3), (GRADUATE, 3)]
            if stay.carrier.code == CORE:
                options.append((TRANSFER, 2))
        elif stay.stage == "accelerator":
            options += [(PROMOTE, 3), (GRADUATE, 2)]
        moves, weights = zip(*options, strict=True)
        return self.rng.choices(moves, weights)[0]

    def following(self, stay: Stay, move: str, field) -> tuple[Carrier, str] | None:
        park = self.park_of_field.get(field.pk) or self.parks[0]
        if move == TRANSFER:
            return park, stay.stage
        if move != PROMOTE:
            return None
        if stay.stage == "seedbed":
            return stay.carrier, "incubator"
        if stay.stage == "incubator":
            return (stay.carrier, "accelerator") if stay.carrier.code == CORE else (stay.carrier, "industrial_park")
        return park, "industrial_park"  # from the core's accelerator to the park of its field

    def plan_stays(self, carrier: Carrier, stage: str, start: datetime.date, field, first_move) -> list[Stay]:
        stays: list[Stay] = []
        move = first_move
        while True:
            low, high = STAY_MONTHS[stage]
            stay = Stay(carrier=carrier, stage=stage, start=start, planned_end=add_months(start, LIMIT_MONTHS[stage]))
            stays.append(stay)
            move = move if len(stays) == 1 and first_move != "random" else self.next_move(stay)
            if move is None:
                break
            end = add_months(start, self.rng.randint(low, high)) + datetime.timedelta(days=self.rng.randrange(28))
            if end >= self.today - datetime.timedelta(days=14):
                break
            following = self.following(stay, move, field)
            if following is None and move in (PROMOTE, TRANSFER):
                break
            stay.end, stay.move = end, move
            if following is None:
                break
            carrier, stage = following
            start = end
            move = "random"
        return stays

    def registration_before(self, stage: str, start: datetime.date) -> datetime.date:
        months = {"seedbed": (0, 5), "incubator": (1, 20), "accelerator": (20, 60), "industrial_park": (30, 90)}[stage]
        return add_months(start, -self.rng.randint(*months)) - datetime.timedelta(days=self.rng.randrange(28))
