"""The tenant roster filtered by qualification: a valid HTE certificate, a tech-based SME registration this year."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from enterprises.tests.factories import HTECertificateFactory, TechSMERegistrationFactory
from incubation.tests.test_pages_and_api import make_tenants

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("qualification", "expected"),
    [("hte", {0}), ("tech_sme", {1}), ("tech_sme_missing", {0, 2, 3}), ("none", {2, 3})],
)
def test_filter_by_qualification(client_for, users, own_park, qualification, expected):
    tenants = make_tenants(users[Role.OPERATOR], own_park, 4, companies=True)
    today = timezone.localdate()
    HTECertificateFactory(enterprise=tenants[0].enterprise, issued_on=today - datetime.timedelta(days=400))
    HTECertificateFactory(enterprise=tenants[2].enterprise, issued_on=today.replace(year=today.year - 4))  # expired
    TechSMERegistrationFactory(enterprise=tenants[1].enterprise, year=today.year)
    TechSMERegistrationFactory(enterprise=tenants[3].enterprise, year=today.year - 1)  # not renewed

    response = client_for(users[Role.OPERATOR]).get(
        reverse("incubation:tenant_roster"), {"qualification": qualification}
    )

    shown = {residency.pk for residency in response.context["page_obj"].object_list}
    assert shown == {tenants[index].pk for index in expected}
