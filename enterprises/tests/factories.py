import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from factory import fuzzy
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import GROUP_NAMES, Role
from enterprises.choices import (
    CorporateEventKind,
    Education,
    EnterpriseKind,
    FinancingRound,
    FounderType,
    HonourKind,
    HonourLevel,
    HTEOutcome,
    ListingBoard,
)
from enterprises.models import (
    CorporateEvent,
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from enterprises.uscc import ALPHABET, check_character

LINZI_PREFIX = "91370305"  # market regulation (9), enterprise (1), Linzi (370305): DOMAIN.md §6


def valid_uscc(body: str) -> str:
    """A valid code for a 17-character body: the body and its check character (GB 32100-2015)."""
    return body + check_character(body)


class EnterpriseFactory(DjangoModelFactory):
    """A registered company in Linzi with a valid USCC, registered a few years ago."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"淄博临淄测试科技有限公司{n:03d}")
    kind = EnterpriseKind.COMPANY
    uscc = factory.LazyAttribute(lambda o: valid_uscc(o.body))
    registered_on = factory.Faker("date_between", start_date="-8y", end_date="-1y")
    registered_capital = Decimal("500.00")
    legal_representative = factory.Faker("name", locale="zh_CN")
    founder_type = FounderType.OTHER

    class Params:
        # The first 17 characters: Linzi's prefix and a random 9-character organisation code.
        body = fuzzy.FuzzyText(length=9, chars=ALPHABET, prefix=LINZI_PREFIX)
        team = factory.Trait(
            kind=EnterpriseKind.TEAM,
            uscc=None,
            registered_on=None,
            registered_capital=None,
            name=factory.Sequence(lambda n: f"创业团队{n:03d}"),
        )


class EnterpriseMembershipFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    user = factory.Sequence(lambda n: enterprise_user(f"member{n:03d}"))
    enterprise = factory.SubFactory(EnterpriseFactory)


def enterprise_user(username: str):
    """A user in the 企业用户 group (the role an EnterpriseMembership is for)."""
    user = User.objects.create_user(username=username, password="Pa55word!x", name=username)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.ENTERPRISE]))
    return user


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = TeamMember

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Faker("name", locale="zh_CN")
    position = "研发工程师"
    education = Education.MASTER
    is_founder = False


class TechSMERegistrationFactory(DjangoModelFactory):
    class Meta:
        model = TechSMERegistration

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    registration_no = factory.Sequence(lambda n: f"2024370305A{n:07d}")
    registered_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 5, 20))


class HTECertificateFactory(DjangoModelFactory):
    class Meta:
        model = HTECertificate

    enterprise = factory.SubFactory(EnterpriseFactory)
    certificate_no = factory.Sequence(lambda n: f"GR2023370{n:05d}")
    issued_on = datetime.date(2023, 12, 7)
    valid_years = 3


class HTEApplicationFactory(DjangoModelFactory):
    """A pending application (no decision date); pass outcome and decided_on together for a decided one."""

    class Meta:
        model = HTEApplication

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    submitted_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 15))
    outcome = HTEOutcome.PENDING
    decided_on = None


class HonourFactory(DjangoModelFactory):
    class Meta:
        model = Honour

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = HonourKind.SPECIALISED_SME
    level = HonourLevel.PROVINCIAL
    year = 2024
    certificate_no = factory.Sequence(lambda n: f"ZJTX-{n:05d}")


class FinancingEventFactory(DjangoModelFactory):
    class Meta:
        model = FinancingEvent

    enterprise = factory.SubFactory(EnterpriseFactory)
    occurred_on = datetime.date(2024, 9, 1)
    round = FinancingRound.ANGEL
    amount = Decimal("300.00")
    investor = "齐鲁创投"


class CorporateEventFactory(DjangoModelFactory):
    class Meta:
        model = CorporateEvent

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = CorporateEventKind.LISTED
    occurred_on = datetime.date(2025, 6, 18)
    board = ListingBoard.NEEQ
    security_code = "874321"
