"""The enterprise forms as a user meets them (in Chinese, the portal's default language): what a wrong entry says,
that nothing is saved then, and what the enterprise's page shows after a save."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from enterprises.models import Enterprise, FinancingEvent, HTECertificate, TechSMERegistration
from enterprises.tests.factories import EnterpriseFactory, EnterpriseMembershipFactory, valid_uscc

pytestmark = pytest.mark.django_db

CODE = valid_uscc("91370305MA3C4Q8B0")


@pytest.fixture
def operator_client(client_for, users):
    client = client_for(users[Role.OPERATOR])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def registration(**changes) -> dict:
    return {
        "name": "淄博齐鲁新材料科技有限公司",
        "kind": "company",
        "uscc": CODE,
        "registered_on": "2019-06-18",
        "registered_capital": "1000.00",
        "legal_representative": "刘洋",
        "founder_type": "scientist",
        "contact_phone": "13805331234",
        **changes,
    }


def form_errors(response) -> str:
    assert response.status_code == 200, "an invalid form is shown again"
    return str(response.context["form"].errors)


def test_a_wrong_check_character_is_explained_and_nothing_is_saved(operator_client):
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")

    response = operator_client.post(reverse("enterprises:enterprise_create"), registration(uscc=wrong))

    errors = form_errors(response)
    assert "校验码" in errors
    assert f"应为 {CODE[17]}" in errors
    assert "校验码" in response.content.decode(), "the message is on the page, not only in the form"
    assert not Enterprise.objects.exists()


def test_a_code_of_the_wrong_length_says_how_long_it_is(operator_client):
    response = operator_client.post(reverse("enterprises:enterprise_create"), registration(uscc=CODE[:16]))

    assert "此代码有 16 个" in form_errors(response)
    assert not Enterprise.objects.exists()


def test_a_valid_registration_opens_the_enterprise_with_a_success_message(operator_client):
    response = operator_client.post(reverse("enterprises:enterprise_create"), registration(), follow=True)

    enterprise = Enterprise.objects.get()
    assert response.redirect_chain == [(reverse("enterprises:enterprise_detail", args=[enterprise.pk]), 302)]
    page = response.content.decode()
    assert "淄博齐鲁新材料科技有限公司" in page
    assert CODE in page
    assert "企业已登记。" in page


def test_a_code_typed_in_lower_case_is_saved_in_capitals(operator_client):
    operator_client.post(reverse("enterprises:enterprise_create"), registration(uscc=CODE.lower()))
    assert Enterprise.objects.get().uscc == CODE


def test_a_code_pasted_with_spaces_is_accepted_and_normalised(operator_client):
    """People paste codes as printed on licences, in groups: 9137 0305 MA3C 4Q8B 0X. The service and the validator
    normalise spaces and hyphens (uscc.normalise_uscc), so the form must not refuse the 22 characters first."""
    pasted = " ".join([CODE[:4], CODE[4:8], CODE[8:12], CODE[12:16], CODE[16:]])

    response = operator_client.post(reverse("enterprises:enterprise_create"), registration(uscc=pasted))

    assert response.status_code == 302, response.context["form"].errors
    assert Enterprise.objects.get().uscc == CODE


def test_a_code_pasted_with_spaces_is_accepted_by_the_api(client_for, users):
    pasted = " ".join([CODE[:4], CODE[4:8], CODE[8:12], CODE[12:16], CODE[16:]])

    response = client_for(users[Role.OPERATOR]).post(
        reverse("enterprise-list"),
        data={"name": "接口登记企业", "uscc": pasted, "registered_on": "2020-01-02"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content.decode()
    assert Enterprise.objects.get().uscc == CODE


def test_a_duplicate_code_is_refused_on_the_form(operator_client):
    EnterpriseFactory(uscc=CODE)

    response = operator_client.post(reverse("enterprises:enterprise_create"), registration(name="另一家公司"))

    assert "已有企业使用此统一社会信用代码登记。" in form_errors(response)
    assert Enterprise.objects.count() == 1


def test_a_team_with_a_code_is_refused_on_the_form(operator_client):
    response = operator_client.post(
        reverse("enterprises:enterprise_create"), registration(kind="team", registered_on="")
    )

    assert "创业团队尚无信用代码" in form_errors(response)
    assert not Enterprise.objects.exists()


def test_an_hte_certificate_shows_its_expiry_on_the_enterprises_page(operator_client):
    enterprise = EnterpriseFactory()

    response = operator_client.post(
        reverse("enterprises:record_create", args=[enterprise.pk, "hte"]),
        {"certificate_no": "GR202437000321", "issued_on": "2024-02-29", "valid_years": "3"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("enterprises:enterprise_detail", args=[enterprise.pk]), 302)]
    assert HTECertificate.objects.get(enterprise=enterprise).expires_on.isoformat() == "2027-02-28"
    records = response.content.decode().split('id="records-hte"')[1]
    assert "GR202437000321" in records
    assert "发证 2024-02-29" in records
    assert "到期 2027-02-28" in records


def test_a_second_tech_sme_registration_in_a_year_is_refused_on_the_form(operator_client):
    enterprise = EnterpriseFactory()
    url = reverse("enterprises:record_create", args=[enterprise.pk, "tech-sme"])
    operator_client.post(url, {"year": "2025", "registration_no": "2025370305A0000001"})

    response = operator_client.post(url, {"year": "2025", "registration_no": "2025370305A0000002"})

    assert "该企业本年度已有入库登记。" in form_errors(response)
    assert list(TechSMERegistration.objects.values_list("registration_no", flat=True)) == ["2025370305A0000001"]


def test_a_financing_of_zero_is_refused_on_the_form(operator_client):
    enterprise = EnterpriseFactory()

    response = operator_client.post(
        reverse("enterprises:record_create", args=[enterprise.pk, "financing"]),
        {"occurred_on": "2025-03-01", "round": "angel", "amount": "0", "investor": "齐鲁创投"},
    )

    assert "amount" in response.context["form"].errors
    assert not FinancingEvent.objects.exists()


def test_an_enterprise_user_edits_their_enterprise_and_sees_it_saved(client_for, users):
    enterprise = EnterpriseMembershipFactory(user=users[Role.ENTERPRISE]).enterprise
    client = client_for(users[Role.ENTERPRISE])
    data = registration(uscc=enterprise.uscc, name=enterprise.name, address="临淄区 齐鲁大道 8 号")

    response = client.post(reverse("enterprises:enterprise_update", args=[enterprise.pk]), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("enterprises:enterprise_detail", args=[enterprise.pk])
    assert "临淄区 齐鲁大道 8 号" in response.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).address == "临淄区 齐鲁大道 8 号"
