import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import HTECertificate, TechSMERegistration
from enterprises.tests.factories import EnterpriseFactory
from incubation import selectors, services
from incubation.models import Residency, RuleSet
from parks.models import Carrier

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 27)


def tenant(operator, name, carrier, started, stage="incubator", *, company=False):
    """A team in residence, or a registered company (which may hold qualifications)."""
    enterprise = (
        EnterpriseFactory(name=name)
        if company
        else enterprise_services.enterprise_create(by=operator, data={"name": name, "kind": "team"})
    )
    services.residency_open(enterprise=enterprise, carrier=carrier, stage=stage, started_on=started, by=operator)
    return enterprise


def test_incubation_limit_alerts_follow_the_rule_set(users, own_park, other_park):
    operator = users[Role.OPERATOR]
    tenant(operator, "入驻43个月", own_park, D(2023, 4, 1))  # 43 months: within six months' notice of 48
    tenant(operator, "入驻41个月", own_park, D(2023, 6, 1))
    tenant(operator, "入驻50个月", other_park, D(2022, 9, 1))
    tenant(operator, "加速器50个月", Carrier.objects.get(kind="core"), D(2022, 9, 1), stage="accelerator")

    names = {r.enterprise.name for r in selectors.incubation_limit_alerts(user=operator, today=TODAY)}
    assert names == {"入驻43个月", "入驻50个月"}

    park_staff = {
        r.enterprise.name for r in selectors.incubation_limit_alerts(user=users[Role.PARK_STAFF], today=TODAY)
    }
    assert park_staff == {"入驻43个月"}

    # A new version of the rule (60 months, 6 months' notice) takes the 43-month tenant off the list.
    RuleSet.objects.create(
        kind="incubation_period", version=2, effective_from=D(2026, 1, 1), combination="all",
        criteria=[{"code": "max_months", "params": {"months": 60, "notice_months": 6}}],
    )  # fmt: skip
    assert not selectors.incubation_limit_alerts(user=operator, today=TODAY).exists()


def test_hte_expiry_and_tech_sme_renewal_alerts(users, own_park):
    operator = users[Role.OPERATOR]
    expiring = tenant(operator, "证书将到期", own_park, D(2024, 1, 1), company=True)
    renewed = tenant(operator, "证书已换发", own_park, D(2024, 1, 1), company=True)
    HTECertificate.objects.create(enterprise=expiring, certificate_no="GR202337000001", issued_on=D(2023, 12, 20))
    HTECertificate.objects.create(enterprise=renewed, certificate_no="GR202337000002", issued_on=D(2023, 12, 20))
    HTECertificate.objects.create(enterprise=renewed, certificate_no="GR202637000003", issued_on=D(2026, 11, 1))
    TechSMERegistration.objects.create(enterprise=expiring, year=2025, registration_no="2025A1")
    TechSMERegistration.objects.create(enterprise=renewed, year=2025, registration_no="2025A2")
    TechSMERegistration.objects.create(enterprise=renewed, year=2026, registration_no="2026A2")

    assert [c.certificate_no for c in selectors.hte_expiry_alerts(user=operator, today=TODAY)] == ["GR202337000001"]
    assert [r.enterprise for r in selectors.tech_sme_renewal_alerts(user=operator, today=TODAY)] == [expiring]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.OPERATOR, 200), (Role.PARK_STAFF, 200), (Role.BUREAU, 200), (Role.EXPERT, 403), (Role.ENTERPRISE, 403)],
)
def test_the_alerts_page(client_for, users, role, status):
    assert client_for(users[role]).get(reverse("incubation:alerts")).status_code == status


@pytest.mark.parametrize("size", [2, 25])
def test_the_alerts_page_costs_the_same_whatever_the_number_of_tenants(
    client_for, users, own_park, size, django_assert_max_num_queries
):
    operator = users[Role.OPERATOR]
    for n in range(size):
        enterprise = tenant(operator, f"企业{n}", own_park, D(2022, 1, 1), company=True)
        HTECertificate.objects.create(enterprise=enterprise, certificate_no=f"GR{n:010d}", issued_on=D(2023, 12, 20))
    client = client_for(operator)
    with django_assert_max_num_queries(12):  # session, user, groups, 2 rule-set look-ups, 4 lists, session save
        assert client.get(reverse("incubation:alerts")).status_code == 200


def test_tenants_past_their_planned_end_are_badged_and_alerted(client_for, users, own_park):
    operator = users[Role.OPERATOR]
    today = timezone.localdate()
    overdue = tenant(operator, "已超期团队", own_park, D(2022, 1, 1))
    ending = tenant(operator, "即将到期团队", own_park, D(2022, 1, 1))
    Residency.objects.filter(enterprise=overdue).update(planned_end_on=today - datetime.timedelta(days=12))
    Residency.objects.filter(enterprise=ending).update(planned_end_on=today + datetime.timedelta(days=30))

    alerts = selectors.planned_end_passed_alerts(user=operator, today=today)
    assert [(r.enterprise, r.days_past_planned_end) for r in alerts] == [(overdue, 12)]
    assert not selectors.planned_end_passed_alerts(user=users[Role.PARK_STAFF], today=today - datetime.timedelta(20))

    client = client_for(operator)
    roster = client.get(reverse("incubation:tenant_roster"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    page = client.get(reverse("incubation:alerts"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已超过计划结束日期 12 天" in roster and "剩余 30 天" in roster
    section = page.split('id="planned-end-passed"')[1].split('class="card mb-3"')[0]
    assert "已超期团队" in section and "即将到期团队" not in section and ">12<" in section
    english = client.get(reverse("incubation:tenant_roster"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "12 days past the planned end" in english
