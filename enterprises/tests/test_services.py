"""The enterprise services, by their effects and their refusals: the row written, the audit event with the fields
changed, the message a user reads (in Chinese), and nothing written when a write is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.audit import history_of, snapshot
from accounts.models import AuditAction, AuditEvent
from accounts.roles import Role
from enterprises import services
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    FinancingEvent,
    Honour,
    HTEApplication,
    HTECertificate,
    TeamMember,
    TechSMERegistration,
)
from enterprises.tests.factories import (
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    FinancingEventFactory,
    HonourFactory,
    HTEApplicationFactory,
    HTECertificateFactory,
    TeamMemberFactory,
    TechSMERegistrationFactory,
    enterprise_user,
    valid_uscc,
)

pytestmark = pytest.mark.django_db

CODE = valid_uscc("91370305MA3C4Q8B0")  # a Linzi enterprise's code with its right check character
OTHER_CODE = valid_uscc("91370305MA3D2K7N1")


def company(**extra) -> dict:
    return {"name": "淄博齐鲁新材料科技有限公司", "uscc": CODE, "registered_on": datetime.date(2019, 6, 18), **extra}


@pytest.fixture
def operator(users):
    return users[Role.OPERATOR]


# --- Enterprises: the code, uniqueness, the company/team rule ------------------------------------------------------


def test_enterprise_create_normalises_the_code_and_records_the_fields_set(operator):
    typed = " " + CODE[:6].lower() + " " + CODE[6:12] + "-" + CODE[12:].lower() + " "

    enterprise = services.enterprise_create(by=operator, data=company(uscc=typed, contact_name="王敏"))

    enterprise.refresh_from_db()
    assert enterprise.uscc == CODE
    event = history_of(enterprise).get()
    assert (event.actor, event.action) == (operator, AuditAction.CREATE)
    assert event.changes["uscc"] == [None, CODE]
    assert event.changes["name"] == [None, "淄博齐鲁新材料科技有限公司"]
    assert event.changes["registered_on"] == [None, "2019-06-18"]
    assert event.changes["contact_name"] == [None, "王敏"]


def test_enterprise_update_normalises_the_code_and_records_only_the_fields_changed(operator):
    enterprise = EnterpriseFactory(contact_name="李强")

    services.enterprise_update(
        enterprise=enterprise, by=operator, data={"uscc": CODE.lower()[:9] + " " + CODE.lower()[9:], "address": "X"}
    )

    old_code = enterprise.uscc
    enterprise.refresh_from_db()
    assert enterprise.uscc == CODE
    event = history_of(enterprise).get()
    assert (event.actor, event.action) == (operator, AuditAction.UPDATE)
    assert event.changes == {"uscc": [old_code, CODE], "address": ["", "X"]}


def test_an_update_that_changes_nothing_records_no_event(operator):
    enterprise = EnterpriseFactory()
    services.enterprise_update(enterprise=enterprise, by=operator, data={"name": enterprise.name})
    assert not history_of(enterprise).exists()


def test_a_duplicate_code_is_refused_in_chinese_and_nothing_is_written(operator):
    EnterpriseFactory(uscc=CODE)
    count, events = Enterprise.objects.count(), AuditEvent.objects.count()

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        # The same code as typed differently (lower case, spaces) is the same code.
        services.enterprise_create(by=operator, data=company(name="另一家公司", uscc=" " + CODE.lower()))

    assert error.value.message_dict["uscc"] == ["已有企业使用此统一社会信用代码登记。"]
    assert Enterprise.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_an_update_to_another_enterprises_code_is_refused_and_nothing_changes(operator):
    EnterpriseFactory(uscc=CODE)
    enterprise = EnterpriseFactory(uscc=OTHER_CODE, name="原名有限公司")

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.enterprise_update(enterprise=enterprise, by=operator, data={"uscc": CODE, "name": "改名"})

    assert "已有企业使用此统一社会信用代码登记。" in error.value.message_dict["uscc"]
    enterprise.refresh_from_db()
    assert (enterprise.uscc, enterprise.name) == (OTHER_CODE, "原名有限公司")
    assert not history_of(enterprise).exists()


def test_a_code_with_a_wrong_check_character_is_refused_with_the_expected_character(operator):
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.enterprise_create(by=operator, data=company(uscc=wrong))

    assert f"应为 {CODE[17]}" in error.value.message_dict["uscc"][0]
    assert not Enterprise.objects.exists()


COMPANY_RULE_ZH = "已注册企业须填写统一社会信用代码和注册日期；创业团队尚无信用代码。"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "无代码公司", "kind": "company", "registered_on": datetime.date(2020, 1, 2)},
        {"name": "空代码公司", "kind": "company", "uscc": "", "registered_on": datetime.date(2020, 1, 2)},
        {"name": "无注册日期公司", "kind": "company", "uscc": CODE},
        {"name": "有代码的团队", "kind": "team", "uscc": CODE},
    ],
    ids=["company-without-code", "company-with-blank-code", "company-without-date", "team-with-code"],
)
def test_the_company_and_team_rule_is_refused_in_chinese_and_nothing_is_written(operator, data):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.enterprise_create(by=operator, data=data)

    assert error.value.message_dict[NON_FIELD_ERRORS] == [COMPANY_RULE_ZH]
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_team_without_a_code_is_registered(operator):
    team = services.enterprise_create(by=operator, data={"name": "智能装备创业团队", "kind": "team", "uscc": ""})
    team.refresh_from_db()
    assert (team.kind, team.uscc, team.registered_on) == ("team", None, None)


def test_two_teams_without_codes_do_not_collide(operator):
    # A blank code is stored as NULL, which the unique index does not compare.
    services.enterprise_create(by=operator, data={"name": "团队甲", "kind": "team", "uscc": ""})
    services.enterprise_create(by=operator, data={"name": "团队乙", "kind": "team", "uscc": ""})
    assert Enterprise.objects.filter(uscc=None).count() == 2


def test_the_database_refuses_a_team_with_a_code_even_past_the_model():
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(name="绕过校验的团队", kind="team", uscc=CODE)


def test_fields_outside_the_form_cannot_be_set_through_the_service(operator):
    with pytest.raises(ValidationError):
        services.enterprise_create(by=operator, data=company(is_demo=True))
    assert not Enterprise.objects.exists()


# --- Records under an enterprise ---------------------------------------------------------------------------------

# model -> (data to create, data to update, the factory)
RECORDS = {
    TeamMember: (
        {"name": "张伟", "position": "首席技术官", "education": "doctorate", "is_founder": True},
        {"position": "总经理"},
        TeamMemberFactory,
    ),
    TechSMERegistration: (
        {"year": 2025, "registration_no": "2025370305A0000123", "registered_on": datetime.date(2025, 4, 30)},
        {"registration_no": "2025370305A0000999"},
        TechSMERegistrationFactory,
    ),
    HTECertificate: (
        {"certificate_no": "GR202437000321", "issued_on": datetime.date(2024, 12, 2), "valid_years": 3},
        {"certificate_no": "GR202437000322"},
        HTECertificateFactory,
    ),
    HTEApplication: (
        {"year": 2025, "submitted_on": datetime.date(2025, 6, 10), "outcome": "pending", "note": "第一批"},
        {"note": "已补充材料"},
        HTEApplicationFactory,
    ),
    Honour: (
        {"kind": "gazelle", "level": "municipal", "year": 2024, "certificate_no": "DL-2024-7"},
        {"level": "national"},
        HonourFactory,
    ),
    FinancingEvent: (
        {"occurred_on": datetime.date(2025, 3, 1), "round": "pre_a", "amount": Decimal("1500"), "investor": "淄博基金"},
        {"amount": Decimal("1800.50")},
        FinancingEventFactory,
    ),
}
RECORD_IDS = [model.__name__ for model in RECORDS]


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_record_create_writes_the_record_and_an_event(operator, model):
    enterprise = EnterpriseFactory()
    data = RECORDS[model][0]

    record = services.record_create(model=model, enterprise=enterprise, by=operator, data=data)

    stored = model.objects.get(pk=record.pk)
    assert stored.enterprise == enterprise
    assert all(getattr(stored, name) == value for name, value in data.items())
    event = history_of(record).get()
    assert (event.actor, event.action) == (operator, AuditAction.CREATE)
    assert event.changes["enterprise"] == [None, enterprise.name]
    assert set(data) <= set(event.changes)


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_record_update_changes_the_record_and_records_the_fields_changed(operator, model):
    record = RECORDS[model][2]()
    change = RECORDS[model][1]
    (field, value), *_ = change.items()
    old = snapshot(record, [field])[field]

    services.record_update(record=record, by=operator, data=change)

    assert getattr(model.objects.get(pk=record.pk), field) == value
    event = history_of(record).get()
    assert (event.actor, event.action) == (operator, AuditAction.UPDATE)
    assert list(event.changes) == [field]
    assert event.changes[field][1] == (str(value) if isinstance(value, Decimal) else value)
    assert event.changes[field][0] == old


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_record_delete_removes_the_record_and_keeps_its_last_values(operator, model):
    record = RECORDS[model][2]()
    pk, enterprise_name = record.pk, record.enterprise.name

    services.record_delete(record=record, by=operator)

    assert not model.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(pk))
    assert event.actor == operator
    assert event.changes["enterprise"] == [enterprise_name, None]


def test_a_record_cannot_move_to_another_enterprise(operator):
    member = TeamMemberFactory()
    home, elsewhere = member.enterprise, EnterpriseFactory()

    with pytest.raises(ValidationError):
        services.record_update(record=member, by=operator, data={"enterprise": elsewhere})

    assert TeamMember.objects.get(pk=member.pk).enterprise == home


# --- HTE certificates: valid 3 years from the issue date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "valid_years", "expires_on"),
    [
        (datetime.date(2023, 12, 7), 3, datetime.date(2026, 12, 7)),
        # PostgreSQL's date + make_interval(years => 3) from 29 February lands on 28 February (no 29th in 2027),
        # and the expiry is the generated column's value: the certificate lapses on 2027-02-28.
        (datetime.date(2024, 2, 29), 3, datetime.date(2027, 2, 28)),
        # Four years on, 29 February exists again and is kept.
        (datetime.date(2024, 2, 29), 4, datetime.date(2028, 2, 29)),
    ],
    ids=["ordinary", "leap-day", "leap-day-to-leap-year"],
)
def test_the_expiry_is_the_issue_date_plus_the_validity(operator, issued_on, valid_years, expires_on):
    certificate = services.record_create(
        model=HTECertificate,
        enterprise=EnterpriseFactory(),
        by=operator,
        data={"certificate_no": "GR2024370001", "issued_on": issued_on, "valid_years": valid_years},
    )

    assert certificate.expires_on == expires_on, "the saved object carries the database's value"
    assert HTECertificate.objects.get(pk=certificate.pk).expires_on == expires_on


def test_the_expiry_follows_a_change_of_the_issue_date(operator):
    certificate = HTECertificateFactory(issued_on=datetime.date(2021, 11, 15))

    services.record_update(record=certificate, by=operator, data={"issued_on": datetime.date(2022, 12, 12)})

    assert HTECertificate.objects.get(pk=certificate.pk).expires_on == datetime.date(2025, 12, 12)


def test_the_default_validity_is_three_years(operator):
    certificate = services.record_create(
        model=HTECertificate,
        enterprise=EnterpriseFactory(),
        by=operator,
        data={"certificate_no": "GR2022370009", "issued_on": datetime.date(2022, 12, 12)},
    )
    assert HTECertificate.objects.get(pk=certificate.pk).expires_on == datetime.date(2025, 12, 12)


# --- Tech-based SME registrations: one per enterprise and year -----------------------------------------------------


def test_a_second_registration_in_the_same_year_is_refused_in_chinese(operator):
    enterprise = EnterpriseFactory()
    TechSMERegistrationFactory(enterprise=enterprise, year=2024)

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_create(
            model=TechSMERegistration,
            enterprise=enterprise,
            by=operator,
            data={"year": 2024, "registration_no": "2024370305A9999999"},
        )

    assert error.value.message_dict[NON_FIELD_ERRORS] == ["该企业本年度已有入库登记。"]
    assert enterprise.tech_sme_registrations.count() == 1
    assert not AuditEvent.objects.exists()


def test_another_year_or_another_enterprise_in_the_same_year_is_accepted(operator):
    enterprise = EnterpriseFactory()
    TechSMERegistrationFactory(enterprise=enterprise, year=2024)

    services.record_create(
        model=TechSMERegistration, enterprise=enterprise, by=operator, data={"year": 2025, "registration_no": "N-1"}
    )
    services.record_create(
        model=TechSMERegistration,
        enterprise=EnterpriseFactory(),
        by=operator,
        data={"year": 2024, "registration_no": "N-2"},
    )

    assert TechSMERegistration.objects.filter(year=2024).count() == 2


def test_moving_a_registration_onto_a_year_already_taken_is_refused(operator):
    enterprise = EnterpriseFactory()
    TechSMERegistrationFactory(enterprise=enterprise, year=2024)
    later = TechSMERegistrationFactory(enterprise=enterprise, year=2025)

    with pytest.raises(ValidationError):
        services.record_update(record=later, by=operator, data={"year": 2024})

    assert TechSMERegistration.objects.get(pk=later.pk).year == 2025


def test_a_registration_number_is_recorded_once(operator):
    TechSMERegistrationFactory(registration_no="2024370305A0000001")

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_create(
            model=TechSMERegistration,
            enterprise=EnterpriseFactory(),
            by=operator,
            data={"year": 2024, "registration_no": "2024370305A0000001"},
        )

    assert "该入库登记编号已登记。" in str(error.value.messages)
    assert TechSMERegistration.objects.count() == 1


# --- Financing: a positive amount ---------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("0.00"), Decimal("-100")])
def test_a_financing_amount_must_be_greater_than_zero(operator, amount):
    enterprise = EnterpriseFactory()

    with pytest.raises(ValidationError) as error:
        services.record_create(
            model=FinancingEvent,
            enterprise=enterprise,
            by=operator,
            data={"occurred_on": datetime.date(2025, 1, 8), "round": "seed", "amount": amount, "investor": "某基金"},
        )

    assert "amount" in error.value.message_dict
    assert not FinancingEvent.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_smallest_amount_is_accepted(operator):
    event = services.record_create(
        model=FinancingEvent,
        enterprise=EnterpriseFactory(),
        by=operator,
        data={"occurred_on": datetime.date(2025, 1, 8), "round": "seed", "amount": Decimal("0.01"), "investor": "某"},
    )
    assert FinancingEvent.objects.get(pk=event.pk).amount == Decimal("0.01")


def test_the_database_refuses_a_zero_amount_even_past_the_model():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancingEvent.objects.create(
            enterprise=enterprise, occurred_on=datetime.date(2025, 1, 8), round="seed", amount=0, investor="某"
        )


# --- Who may write: an enterprise user their own enterprise; the bureau nothing -------------------------------------


@pytest.fixture
def own(users):
    """The enterprise the `users` fixture's enterprise user acts for."""
    return EnterpriseMembershipFactory(user=users[Role.ENTERPRISE]).enterprise


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_an_enterprise_user_adds_records_to_their_own_enterprise(users, own, model):
    record = services.record_create(model=model, enterprise=own, by=users[Role.ENTERPRISE], data=RECORDS[model][0])

    assert model.objects.get(pk=record.pk).enterprise == own
    assert history_of(record).get().actor == users[Role.ENTERPRISE]


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_an_enterprise_user_cannot_add_records_to_another_enterprise(users, own, model):
    other = EnterpriseFactory()

    with pytest.raises(PermissionDenied):
        services.record_create(model=model, enterprise=other, by=users[Role.ENTERPRISE], data=RECORDS[model][0])

    assert not model.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("model", RECORDS, ids=RECORD_IDS)
def test_an_enterprise_user_cannot_change_or_delete_another_enterprises_records(users, own, model):
    record = RECORDS[model][2]()  # under an enterprise of its own, not the user's
    before = model.objects.filter(pk=record.pk).values().get()

    with pytest.raises(PermissionDenied):
        services.record_update(record=record, by=users[Role.ENTERPRISE], data=RECORDS[model][1])
    with pytest.raises(PermissionDenied):
        services.record_delete(record=record, by=users[Role.ENTERPRISE])

    assert model.objects.filter(pk=record.pk).values().get() == before
    assert not AuditEvent.objects.exists()


def test_an_enterprise_user_edits_their_own_enterprise_but_not_another(users, own):
    user = users[Role.ENTERPRISE]
    other = EnterpriseFactory(contact_name="原联系人")

    services.enterprise_update(enterprise=own, by=user, data={"contact_name": "王敏"})
    with pytest.raises(PermissionDenied):
        services.enterprise_update(enterprise=other, by=user, data={"contact_name": "王敏"})

    assert Enterprise.objects.get(pk=own.pk).contact_name == "王敏"
    assert Enterprise.objects.get(pk=other.pk).contact_name == "原联系人"
    assert not history_of(other).exists()


def test_an_enterprise_user_cannot_register_an_enterprise(users, own):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(by=users[Role.ENTERPRISE], data=company())
    assert list(Enterprise.objects.all()) == [own]


def test_an_enterprise_user_cannot_link_users_to_enterprises(users, own):
    newcomer = enterprise_user("newcomer")

    with pytest.raises(PermissionDenied):
        services.membership_create(enterprise=own, user=newcomer, by=users[Role.ENTERPRISE])

    assert not EnterpriseMembership.objects.filter(user=newcomer).exists()


def test_the_operator_links_a_user_to_one_enterprise_only(operator):
    user, first, second = enterprise_user("linked"), EnterpriseFactory(), EnterpriseFactory()

    membership = services.membership_create(enterprise=first, user=user, by=operator)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.membership_create(enterprise=second, user=user, by=operator)

    assert EnterpriseMembership.objects.get(user=user).enterprise == first
    assert history_of(membership).get().action == AuditAction.CREATE
    assert error.value.messages == ["该用户已关联一家企业。"]


def _every_write(by, enterprise, records):
    """Each service once, as `by`, on `enterprise` and its `records` (one of each kind)."""
    yield lambda: services.enterprise_create(by=by, data=company())
    yield lambda: services.enterprise_update(enterprise=enterprise, by=by, data={"contact_name": "X"})
    yield lambda: services.membership_create(enterprise=enterprise, user=enterprise_user("someone"), by=by)
    for model, record in records.items():
        yield lambda model=model: services.record_create(
            model=model, enterprise=enterprise, by=by, data=RECORDS[model][0]
        )
        yield lambda model=model, record=record: services.record_update(record=record, by=by, data=RECORDS[model][1])
        yield lambda record=record: services.record_delete(record=record, by=by)


@pytest.mark.parametrize("role", [Role.BUREAU, Role.PARK_STAFF, Role.EXPERT], ids=lambda role: role.value)
def test_read_only_roles_write_nothing(users, role):
    enterprise = EnterpriseFactory()
    records = {model: RECORDS[model][2](enterprise=enterprise) for model in RECORDS}
    rows = {model: list(model.objects.values()) for model in (Enterprise, EnterpriseMembership, *RECORDS)}

    for write in _every_write(users[role], enterprise, records):
        with pytest.raises(PermissionDenied):
            write()

    assert {model: list(model.objects.values()) for model in rows} == rows
    assert not AuditEvent.objects.exists()
