"""Reads of enterprises: the list's figures (latest 科技型中小企业 year, a valid 高企 certificate today, financing
total, team size), the search by name or code, and the list's filters."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_detail, enterprise_list, search_enterprises
from enterprises.tests.factories import (
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    FinancingEventFactory,
    HTECertificateFactory,
    TeamMemberFactory,
    TechSMERegistrationFactory,
    valid_uscc,
)
from parks.models import FocusField

pytestmark = pytest.mark.django_db


def listed(user, **kwargs) -> dict[int, Enterprise]:
    return {enterprise.pk: enterprise for enterprise in enterprise_list(user=user, **kwargs)}


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


# --- The list's figures -----------------------------------------------------------------------------------------


def test_the_latest_tech_sme_year_is_the_newest_registration(operator):
    registered, never = EnterpriseFactory(), EnterpriseFactory()
    for year in (2022, 2025, 2023):
        TechSMERegistrationFactory(enterprise=registered, year=year)
    TechSMERegistrationFactory(year=2026)  # another enterprise's registration does not count

    rows = listed(operator)

    assert rows[registered.pk].latest_tech_sme_year == 2025
    assert rows[never.pk].latest_tech_sme_year is None


@pytest.mark.parametrize(
    ("today", "valid"),
    [
        (datetime.date(2023, 12, 6), False),  # the day before the issue date
        (datetime.date(2023, 12, 7), True),  # the issue date
        (datetime.date(2026, 12, 6), True),  # the last day
        (datetime.date(2026, 12, 7), False),  # the expiry date: [issued_on, expires_on) is half-open
        (datetime.date(2027, 6, 1), False),
    ],
)
def test_a_certificate_is_valid_from_its_issue_date_until_the_day_before_expiry(operator, today, valid):
    certificate = HTECertificateFactory(issued_on=datetime.date(2023, 12, 7), valid_years=3)
    assert certificate.expires_on == datetime.date(2026, 12, 7)

    assert listed(operator, today=today)[certificate.enterprise_id].has_valid_hte is valid


def test_an_expired_certificate_does_not_hide_a_current_one(operator):
    enterprise = EnterpriseFactory()
    HTECertificateFactory(enterprise=enterprise, issued_on=datetime.date(2018, 11, 30))
    HTECertificateFactory(enterprise=enterprise, issued_on=datetime.date(2021, 12, 15))
    without = EnterpriseFactory()

    rows = listed(operator, today=datetime.date(2024, 3, 1))

    assert rows[enterprise.pk].has_valid_hte is True
    assert rows[without.pk].has_valid_hte is False


def test_the_valid_certificate_is_judged_on_todays_date_by_default(operator):
    today = timezone.localdate()
    current = HTECertificateFactory(issued_on=today.replace(year=today.year - 1, day=1))
    lapsed = HTECertificateFactory(issued_on=today.replace(year=today.year - 4, day=1))

    rows = listed(operator)

    assert rows[current.enterprise_id].has_valid_hte is True
    assert rows[lapsed.enterprise_id].has_valid_hte is False


def test_the_financing_total_sums_the_enterprises_own_events(operator):
    funded, unfunded = EnterpriseFactory(), EnterpriseFactory()
    for amount in ("300.00", "1200.50", "0.25"):
        FinancingEventFactory(enterprise=funded, amount=Decimal(amount))
    FinancingEventFactory(amount=Decimal("999.00"))

    rows = listed(operator)

    assert rows[funded.pk].financing_total == Decimal("1500.75")
    assert rows[unfunded.pk].financing_total == Decimal("0")


def test_the_team_size_counts_the_enterprises_members(operator):
    team, alone = EnterpriseFactory(), EnterpriseFactory()
    TeamMemberFactory.create_batch(4, enterprise=team)
    TeamMemberFactory(enterprise=alone, is_founder=True)
    no_team = EnterpriseFactory()

    rows = listed(operator)

    assert (rows[team.pk].team_size, rows[alone.pk].team_size, rows[no_team.pk].team_size) == (4, 1, 0)


def test_figures_do_not_multiply_each_other(operator):
    """Several records of every kind on one enterprise: each figure stays its own (no join fan-out)."""
    enterprise = EnterpriseFactory()
    TeamMemberFactory.create_batch(3, enterprise=enterprise)
    FinancingEventFactory.create_batch(2, enterprise=enterprise, amount=Decimal("100.00"))
    for year in (2023, 2024):
        TechSMERegistrationFactory(enterprise=enterprise, year=year)
    HTECertificateFactory.create_batch(2, enterprise=enterprise, issued_on=datetime.date(2023, 12, 7))

    rows = enterprise_list(user=operator, today=datetime.date(2024, 6, 1))

    assert len(rows) == 1
    row = rows[0]
    assert (row.team_size, row.financing_total, row.latest_tech_sme_year) == (3, Decimal("200.00"), 2024)


def test_the_list_is_scoped_to_the_user(users):
    own, other = EnterpriseFactory(), EnterpriseFactory()
    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise=own)

    assert set(listed(users[Role.ENTERPRISE])) == {own.pk}
    assert set(listed(users[Role.BUREAU])) == {own.pk, other.pk}
    assert set(listed(users[Role.ADMIN])) == {own.pk, other.pk}
    assert set(listed(users[Role.PARK_STAFF])) == set()
    assert set(listed(users[Role.EXPERT])) == set()
    assert set(listed(users[Role.BUREAU], action="change")) == set(), "the bureau reads but does not change"
    assert set(listed(users[Role.ENTERPRISE], action="change")) == {own.pk}


def test_the_detail_is_the_users_to_see_only(users):
    own, other = EnterpriseFactory(), EnterpriseFactory()
    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise=own)

    assert enterprise_detail(user=users[Role.ENTERPRISE], pk=own.pk) == own
    with pytest.raises(Enterprise.DoesNotExist):
        enterprise_detail(user=users[Role.ENTERPRISE], pk=other.pk)
    with pytest.raises(Enterprise.DoesNotExist):
        enterprise_detail(user=users[Role.PARK_STAFF], pk=own.pk)


# --- Search ------------------------------------------------------------------------------------------------------


def search(user, text: str) -> list[str]:
    return [enterprise.name for enterprise in search_enterprises(enterprise_list(user=user), text)]


def test_search_finds_a_chinese_substring_of_the_name(operator):
    EnterpriseFactory(name="淄博齐鲁新材料科技有限公司")
    EnterpriseFactory(name="山东临淄新材料研究院有限公司")
    EnterpriseFactory(name="淄博爱特云翔信息技术有限公司")

    assert sorted(search(operator, "新材料")) == ["山东临淄新材料研究院有限公司", "淄博齐鲁新材料科技有限公司"]
    assert search(operator, "云翔") == ["淄博爱特云翔信息技术有限公司"]
    assert search(operator, "生物医药") == []


def test_search_finds_a_code_by_its_prefix_as_typed(operator):
    wanted = EnterpriseFactory(uscc=valid_uscc("91370305MA3C4Q8B0"))
    EnterpriseFactory(uscc=valid_uscc("91370305MA3D2K7N1"))

    assert search(operator, "91370305MA3C") == [wanted.name]
    assert search(operator, " 91370305ma3c4q ") == [wanted.name], "lower case and spaces are normalised"
    assert search(operator, wanted.uscc) == [wanted.name]


def test_search_puts_the_closest_name_first(operator):
    # By name alone (code-point order) 山 < 淄 < 齐 would put the exact match last.
    names = ["山东齐鲁智造装备有限公司", "淄博齐鲁智造科技有限公司", "齐鲁智造"]
    for name in names:
        EnterpriseFactory(name=name)

    found = search(operator, "齐鲁智造")

    assert found[0] == "齐鲁智造"
    assert sorted(found) == sorted(names)


def test_search_tolerates_a_typo_in_a_latin_name(operator):
    EnterpriseFactory(name="Linzi Smart Equipment Co., Ltd.")
    EnterpriseFactory(name="Qilu Chemicals")

    assert search(operator, "Smart Equipmnt") == ["Linzi Smart Equipment Co., Ltd."]


def test_an_empty_search_keeps_everything(operator):
    EnterpriseFactory.create_batch(3)
    assert len(search(operator, "   ")) == 3


def test_search_stays_within_the_users_scope(users):
    own = EnterpriseFactory(name="淄博齐鲁新材料科技有限公司")
    EnterpriseFactory(name="山东临淄新材料研究院有限公司")
    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise=own)

    assert search(users[Role.ENTERPRISE], "新材料") == [own.name]


def test_the_web_list_shows_the_closest_name_first(client_for, operator):
    for name in ["山东齐鲁智造装备有限公司", "淄博齐鲁智造科技有限公司", "齐鲁智造"]:
        EnterpriseFactory(name=name)

    page = client_for(operator).get(reverse("enterprises:enterprise_list"), {"q": "齐鲁智造"})

    names = [enterprise.name for enterprise in page.context["page_obj"].object_list]
    assert names[0] == "齐鲁智造"
    assert len(names) == 3


def test_the_api_list_shows_the_closest_name_first(client_for, operator):
    """The API offers the same search as the web list: without an explicit ?ordering= it must keep the closest
    name first, as the web list does (EnterpriseListView.keeps_own_order)."""
    for name in ["山东齐鲁智造装备有限公司", "淄博齐鲁智造科技有限公司", "齐鲁智造"]:
        EnterpriseFactory(name=name)

    response = client_for(operator).get(reverse("enterprise-list"), {"q": "齐鲁智造"})

    names = [row["name"] for row in response.json()["results"]]
    assert len(names) == 3
    assert names[0] == "齐鲁智造"


# --- Filters -----------------------------------------------------------------------------------------------------


def filtered(user, **params) -> set[int]:
    filterset = EnterpriseFilter({k: str(v) for k, v in params.items()}, queryset=enterprise_list(user=user))
    assert filterset.is_valid(), filterset.errors
    return {enterprise.pk for enterprise in filterset.qs}


def test_an_industry_covers_the_fields_under_it_and_a_field_only_itself(operator):
    industry = FocusField.objects.get(parent=None, name="大数据")
    cloud = industry.children.get(name="云计算")
    ai = industry.children.get(name="人工智能")
    chemicals = FocusField.objects.get(parent=None, name="绿色化工")
    in_industry = EnterpriseFactory(industry_field=industry)
    in_cloud = EnterpriseFactory(industry_field=cloud)
    in_ai = EnterpriseFactory(industry_field=ai)
    in_chemicals = EnterpriseFactory(industry_field=chemicals.children.first())
    EnterpriseFactory(industry_field=None)

    assert filtered(operator, industry=industry.pk) == {in_industry.pk, in_cloud.pk, in_ai.pk}
    assert filtered(operator, industry=cloud.pk) == {in_cloud.pk}
    assert filtered(operator, industry=chemicals.pk) == {in_chemicals.pk}


def test_the_hte_filter_selects_holders_of_a_certificate_valid_today(operator):
    today = timezone.localdate()
    holder = HTECertificateFactory(issued_on=today.replace(year=today.year - 1, day=1)).enterprise
    lapsed = HTECertificateFactory(issued_on=today.replace(year=today.year - 5, day=1)).enterprise
    never = EnterpriseFactory()

    assert filtered(operator, hte="true") == {holder.pk}
    assert filtered(operator, hte="false") == {lapsed.pk, never.pk}


def test_the_tech_sme_year_filter_selects_that_years_registrations_once_each(operator):
    both = EnterpriseFactory()
    TechSMERegistrationFactory(enterprise=both, year=2024)
    TechSMERegistrationFactory(enterprise=both, year=2025)
    only_2024 = TechSMERegistrationFactory(year=2024).enterprise
    TechSMERegistrationFactory(year=2023)
    EnterpriseFactory()

    filterset = EnterpriseFilter({"tech_sme_year": "2024"}, queryset=enterprise_list(user=operator))
    rows = list(filterset.qs)

    assert sorted(enterprise.pk for enterprise in rows) == sorted([both.pk, only_2024.pk])
    assert filtered(operator, tech_sme_year=2025) == {both.pk}
    assert filtered(operator, tech_sme_year=2026) == set()
    assert {row.pk: row.latest_tech_sme_year for row in rows}[both.pk] == 2025, "filtering keeps the figures"


def test_filters_combine_with_search(operator):
    industry = FocusField.objects.get(parent=None, name="大数据")
    wanted = EnterpriseFactory(name="淄博云数科技有限公司", industry_field=industry)
    TechSMERegistrationFactory(enterprise=wanted, year=2024)
    EnterpriseFactory(name="淄博云数软件有限公司", industry_field=industry)  # not registered in 2024
    TechSMERegistrationFactory(enterprise=EnterpriseFactory(name="淄博化工有限公司"), year=2024)

    assert filtered(operator, q="云数", industry=industry.pk, tech_sme_year=2024) == {wanted.pk}


def test_search_ranks_exact_then_prefix_then_holding_then_similar(operator, client_for):
    # pg_trgm alone gave 齐鲁创新 (similar by its first character) a higher score than names holding 齐创.
    for name in ["齐鲁创新有限公司", "淄博齐创新材料科技有限公司", "山东齐创材料有限公司", "齐创科技", "齐创"]:
        EnterpriseFactory(name=name)
    expected = ["齐创", "齐创科技", "山东齐创材料有限公司", "淄博齐创新材料科技有限公司", "齐鲁创新有限公司"]

    assert search(operator, "齐创") == expected
    page = client_for(operator).get(reverse("enterprises:enterprise_list") + "?q=齐创")
    assert [enterprise.name for enterprise in page.context["page_obj"].object_list] == expected
