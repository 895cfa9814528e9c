import datetime

import factory
from factory.django import DjangoModelFactory

from parks.choices import AccreditationLevel, AnchorKind, UnitKind
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, Unit


def carrier(code: str = "big-data") -> Carrier:
    """Carriers come from the plan's reference data (migration parks.0003); tests use those, not new ones."""
    return Carrier.objects.get(code=code)


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    carrier = factory.LazyFunction(carrier)
    name = factory.Sequence(lambda n: f"测试楼{n}")
    floors = 5


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    floor = 1
    area_m2 = factory.Faker("pydecimal", left_digits=3, right_digits=2, min_value=10, max_value=900)
    kind = UnitKind.OFFICE
    stage_zone = factory.LazyAttribute(lambda unit: unit.building.carrier.stages[0])


class AnchorFactory(DjangoModelFactory):
    class Meta:
        model = AnchorOrganisation

    carrier = factory.LazyFunction(carrier)
    name = factory.Sequence(lambda n: f"测试依托单位{n}")
    kind = AnchorKind.ENTERPRISE


class AccreditationFactory(DjangoModelFactory):
    class Meta:
        model = Accreditation

    carrier = factory.LazyFunction(lambda: carrier("qizhihui"))
    level = AccreditationLevel.MUNICIPAL
    # Distinct dates: (carrier, level, date) is unique, and random dates collide in large batches.
    awarded_on = factory.Sequence(lambda n: datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    certificate_no = factory.Sequence(lambda n: f"ZB-{n:05d}")
