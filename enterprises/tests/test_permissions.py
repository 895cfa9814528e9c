"""The permission matrix of enterprises: every web page and API endpoint of the enterprises app, tried by every role
and by an anonymous visitor, on the enterprise user's own enterprise ("own") and on another enterprise ("other").

The tables restate accounts.roles.POLICY (the `enterprises.*` entries) with the enterprises' scope
(enterprises.models._scope_enterprises):
- admin and operator read and change every enterprise and its records, and alone register enterprises;
- the bureau (区科技局) reads every enterprise and its records and writes nothing (403 on every write);
- park staff read enterprises but see none yet (residencies come later): empty lists, 404 on an enterprise or a
  record; their writes are refused (403);
- experts are not among ENTERPRISE_READERS: every enterprise page and endpoint answers them 403;
- an enterprise user (企业用户) linked by an EnterpriseMembership reads and changes their own enterprise and its
  records; another enterprise's pages and records answer 404 (web and API); they cannot register an enterprise (403);
  an API create naming another enterprise in its body is refused (403), as for carriers;
- anonymous visitors are sent to the sign-in page (web) or refused (API).

Each write is checked by its effect: a success changes the probed row and records one audit event by the actor; a
refusal changes neither.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Role
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
from enterprises.tests.factories import (
    CorporateEventFactory,
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
from tests import matrix
from tests.matrix import ANONYMOUS, DENIED, EVERYONE, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, OTHER, OWN, _row, role_id

pytestmark = pytest.mark.django_db

# fmt: off
#                        anonymous  admin        operator     park staff   bureau  expert  enterprise
READ_OWN          = _row(LOGIN,     OK,          OK,          NOT_FOUND,   OK,     DENIED, OK)
READ_OTHER        = _row(LOGIN,     OK,          OK,          NOT_FOUND,   OK,     DENIED, NOT_FOUND)
WRITE_OWN         = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, OK)
WRITE_OTHER       = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, NOT_FOUND)
CREATE_OTHER      = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, DENIED)
REGISTER          = _row(LOGIN,     OK,          OK,          DENIED,      DENIED, DENIED, DENIED)
UNSUPPORTED       = _row(LOGIN,     NOT_ALLOWED, NOT_ALLOWED, DENIED,      DENIED, DENIED, NOT_ALLOWED)
# fmt: on
# READ: park staff may read enterprises (POLICY) but their scope is empty until residencies exist, hence 404.
# CREATE_OTHER: an API create naming another enterprise in its body is refused (403), not hidden.
# REGISTER: registering an enterprise belongs to the operating company.
# UNSUPPORTED: enterprises have no DELETE; roles that may change enterprises learn it is not offered (405), the
#   others are refused like any other write.

READ = {OWN: READ_OWN, OTHER: READ_OTHER}
WRITE = {OWN: WRITE_OWN, OTHER: WRITE_OTHER}
API_CREATE = {OWN: WRITE_OWN, OTHER: CREATE_OTHER}
REGISTER_ANYWHERE = {OWN: REGISTER, OTHER: REGISTER}
API_UNSUPPORTED = {OWN: UNSUPPORTED, OTHER: UNSUPPORTED}

# What may be listed: the enterprises (or their records) each role finds in a list.
LISTS = {
    ANONYMOUS: LOGIN,
    Role.ADMIN: {OWN, OTHER},
    Role.OPERATOR: {OWN, OTHER},
    Role.PARK_STAFF: set(),
    Role.BUREAU: {OWN, OTHER},
    Role.EXPERT: DENIED,
    Role.ENTERPRISE: {OWN},
}


# --- The enterprises every test works on --------------------------------------------------------------------------

# URL word -> model, factory, API basename
KINDS = {
    "team": (TeamMember, TeamMemberFactory, "team-member"),
    "tech-sme": (TechSMERegistration, TechSMERegistrationFactory, "tech-sme-registration"),
    "hte": (HTECertificate, HTECertificateFactory, "hte-certificate"),
    "hte-application": (HTEApplication, HTEApplicationFactory, "hte-application"),
    "honours": (Honour, HonourFactory, "honour"),
    "financing": (FinancingEvent, FinancingEventFactory, "financing-event"),
    "corporate-events": (CorporateEvent, CorporateEventFactory, "corporate-event"),
}


@dataclasses.dataclass
class Site:
    """One enterprise with one record of each kind."""

    enterprise: Enterprise
    records: dict[str, Any]


def _site(name: str) -> Site:
    enterprise = EnterpriseFactory(name=name)
    return Site(enterprise, {kind: KINDS[kind][1](enterprise=enterprise) for kind in KINDS})


@pytest.fixture
def sites(users) -> dict[str, Site]:
    own, other = _site("淄博本企业科技有限公司"), _site("淄博他企业科技有限公司")
    EnterpriseMembershipFactory(user=users[Role.ENTERPRISE], enterprise=own.enterprise)
    EnterpriseMembershipFactory(enterprise=other.enterprise)  # another enterprise user acts for the other one
    return {OWN: own, OTHER: other}


# --- Probes: what a write changes, read fresh from the database ----------------------------------------------------

Probe = Callable[[Site], Any]


def enterprise_value(field: str) -> Probe:
    return lambda site: Enterprise.objects.filter(pk=site.enterprise.pk).values_list(field, flat=True).first()


def record_value(kind: str, field: str) -> Probe:
    """The stored `field` of the site's record of `kind`; None once the row is gone."""

    def probe(site: Site) -> Any:
        record = site.records[kind]
        return type(record).objects.filter(pk=record.pk).values_list(field, flat=True).first()

    return probe


def number_of(kind: str) -> Probe:
    model = KINDS[kind][0]
    return lambda site: model.objects.filter(enterprise=site.enterprise).count()


def number_of_enterprises(site: Site) -> int:
    return Enterprise.objects.count()


# --- Web pages: lists and the enterprise user's entry point --------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_enterprise_list_page(visit, sites, role):
    response = visit(role).get(reverse("enterprises:enterprise_list"))

    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_page(response, expected)
        return
    assert response.status_code == 200
    shown = {enterprise.pk for enterprise in response.context["page_obj"].object_list}
    assert shown == {sites[where].enterprise.pk for where in expected}
    page = response.content.decode()
    for where in (OWN, OTHER):
        assert (sites[where].enterprise.name in page) is (where in expected)


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_my_enterprise_sends_an_enterprise_user_to_their_enterprise_and_others_nowhere(visit, sites, role):
    response = visit(role).get(reverse("enterprises:my_enterprise"))

    if role is ANONYMOUS:
        matrix.assert_page(response, LOGIN)
    elif role is Role.ENTERPRISE:
        assert response.status_code == 302
        assert response["Location"] == reverse("enterprises:enterprise_detail", args=[sites[OWN].enterprise.pk])
    else:
        assert response.status_code == 404, "a user without a membership has no enterprise of their own"


def test_my_enterprise_leads_an_enterprise_user_without_membership_to_register_theirs(client_for, sites):
    response = client_for(enterprise_user("unlinked")).get(reverse("enterprises:my_enterprise"))
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:register")


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
def test_enterprise_register_page(visit, sites, role):
    matrix.assert_page(visit(role).get(reverse("enterprises:enterprise_create")), REGISTER[role])


# --- Web pages on one enterprise: opening them ---------------------------------------------------------------------

# (url name, rules, args from the site), one per page; record pages once per kind word
ENTERPRISE_PAGES = [
    ("enterprises:enterprise_detail", READ, lambda s: [s.enterprise.pk]),
    ("enterprises:enterprise_update", WRITE, lambda s: [s.enterprise.pk]),
    *[
        (f"enterprises:record_{action}", WRITE, getter)
        for kind in KINDS
        for action, getter in [
            ("create", lambda s, kind=kind: [s.enterprise.pk, kind]),
            ("update", lambda s, kind=kind: [s.enterprise.pk, kind, s.records[kind].pk]),
            ("delete", lambda s, kind=kind: [s.enterprise.pk, kind, s.records[kind].pk]),
        ]
    ],
]
PAGE_IDS = [
    "detail",
    "edit",
    *[f"{kind}-{action}" for kind in KINDS for action in ("add", "edit", "delete")],
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("url_name", "rules", "args"), ENTERPRISE_PAGES, ids=PAGE_IDS)
def test_enterprise_page(visit, sites, url_name, rules, args, role, where):
    matrix.assert_page(visit(role).get(reverse(url_name, args=args(sites[where]))), rules[where][role])


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OPERATOR, Role.BUREAU, Role.ENTERPRISE], ids=role_id)
def test_the_detail_page_offers_edits_to_writers_only(visit, sites, role):
    site = sites[OWN]
    page = visit(role).get(reverse("enterprises:enterprise_detail", args=[site.enterprise.pk])).content.decode()

    edit_link = reverse("enterprises:enterprise_update", args=[site.enterprise.pk])
    add_link = reverse("enterprises:record_create", args=[site.enterprise.pk, "hte"])
    writer = role is not Role.BUREAU
    assert (edit_link in page) is writer
    assert (add_link in page) is writer
    assert site.records["hte"].certificate_no in page, "every reader sees the records"


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ENTERPRISE], ids=role_id)
@pytest.mark.parametrize("action", ["update", "delete"])
def test_a_record_is_reached_only_through_its_own_enterprise(visit, sites, role, action):
    """/enterprises/<own>/team/<another enterprise's member>/edit/ is not a way round the scope."""
    url = reverse(
        f"enterprises:record_{action}", args=[sites[OWN].enterprise.pk, "team", sites[OTHER].records["team"].pk]
    )
    assert visit(role).get(url).status_code == 404


def test_an_unknown_record_kind_is_404(visit, sites):
    url = reverse("enterprises:record_create", args=[sites[OWN].enterprise.pk, "patents"])
    assert visit(Role.OPERATOR).get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ENTERPRISE], ids=role_id)
def test_memberships_are_managed_on_the_admin_site_only_by_administrators(visit, sites, role):
    # Memberships are an inline of the enterprise's admin page, which only administrators reach.
    response = visit(role).get(reverse("admin:enterprises_enterprise_change", args=[sites[OWN].enterprise.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Web pages: writing --------------------------------------------------------------------------------------------


def enterprise_form(site: Site, **changes) -> dict:
    enterprise = site.enterprise
    return {
        "name": enterprise.name,
        "kind": enterprise.kind,
        "uscc": enterprise.uscc,
        "registered_on": f"{enterprise.registered_on:%Y-%m-%d}",
        "registered_capital": "500.00",
        "founder_type": enterprise.founder_type,
        "contact_phone": "",
        **changes,
    }


# URL word -> (form data to add one, form data to edit the site's record, the field the edit changes)
RECORD_FORMS: dict[str, tuple[dict, dict, str]] = {
    "team": (
        {"name": "新成员", "position": "工程师", "education": "bachelor", "is_founder": "on", "note": ""},
        {"name": "改名成员", "position": "总工程师", "education": "master", "note": ""},
        "name",
    ),
    "tech-sme": (
        {"year": "2025", "registration_no": "2025370305A0001234", "registered_on": "2025-05-06"},
        {"year": "2024", "registration_no": "2024370305A0009876", "registered_on": ""},
        "registration_no",
    ),
    "hte": (
        {"certificate_no": "GR202537000777", "issued_on": "2025-11-20", "valid_years": "3"},
        {"certificate_no": "GR202237000888", "issued_on": "2022-12-12", "valid_years": "3"},
        "certificate_no",
    ),
    "hte-application": (
        {"year": "2025", "submitted_on": "2025-06-10", "outcome": "pending", "decided_on": "", "note": ""},
        {"year": "2024", "submitted_on": "2024-06-15", "outcome": "certified", "decided_on": "2024-12-01", "note": ""},
        "outcome",
    ),
    "honours": (
        {"kind": "gazelle", "level": "municipal", "year": "2025", "certificate_no": "", "note": ""},
        {"kind": "specialised_sme", "level": "national", "year": "2024", "certificate_no": "", "note": ""},
        "level",
    ),
    "financing": (
        {"occurred_on": "2025-03-01", "round": "series_a", "amount": "2000.00", "investor": "山东基金", "note": ""},
        {"occurred_on": "2024-09-01", "round": "angel", "amount": "350.00", "investor": "齐鲁创投", "note": ""},
        "amount",
    ),
    "corporate-events": (
        {
            "kind": "listed",
            "occurred_on": "2025-06-18",
            "counterparty": "",
            "board": "star_market",
            "security_code": "688001",
            "note": "",
        },
        {
            "kind": "acquired",
            "occurred_on": "2024-09-01",
            "counterparty": "山东重工集团",
            "board": "",
            "security_code": "",
            "note": "",
        },
        "kind",
    ),
}


@dataclasses.dataclass(frozen=True)
class WebWrite:
    id: str
    url: Callable[[Site], str]
    data: Callable[[Site], dict]
    probe: Probe
    rules: dict


WEB_WRITES = [
    WebWrite(
        "enterprise-register",
        lambda s: reverse("enterprises:enterprise_create"),
        lambda s: {
            "name": "新登记企业有限公司",
            "kind": "company",
            "uscc": valid_uscc("91370305MA7XK2P3Q"),
            "registered_on": "2021-03-04",
            "founder_type": "other",
        },
        number_of_enterprises,
        REGISTER_ANYWHERE,
    ),
    WebWrite(
        "enterprise-edit",
        lambda s: reverse("enterprises:enterprise_update", args=[s.enterprise.pk]),
        lambda s: enterprise_form(s, address="临淄区 齐鲁大道 8 号"),
        enterprise_value("address"),
        WRITE,
    ),
    *[
        write
        for kind, (add, edit, field) in RECORD_FORMS.items()
        for write in (
            WebWrite(
                f"{kind}-add",
                lambda s, kind=kind: reverse("enterprises:record_create", args=[s.enterprise.pk, kind]),
                lambda s, add=add: add,
                number_of(kind),
                WRITE,
            ),
            WebWrite(
                f"{kind}-edit",
                lambda s, kind=kind: reverse(
                    "enterprises:record_update", args=[s.enterprise.pk, kind, s.records[kind].pk]
                ),
                lambda s, edit=edit: edit,
                record_value(kind, field),
                WRITE,
            ),
            WebWrite(
                f"{kind}-delete",
                lambda s, kind=kind: reverse(
                    "enterprises:record_delete", args=[s.enterprise.pk, kind, s.records[kind].pk]
                ),
                lambda s: {},
                record_value(kind, "pk"),
                WRITE,
            ),
        )
    ],
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("write", WEB_WRITES, ids=[write.id for write in WEB_WRITES])
def test_web_write(visit, users, sites, write, role, where):
    site = sites[where]
    outcome = write.rules[where][role]
    client = visit(role)
    before, events_before = write.probe(site), matrix.last_event_id()

    response = client.post(write.url(site), write.data(site))

    matrix.assert_form_post(response, outcome)
    matrix.assert_effect(
        outcome=outcome,
        probe=write.probe,
        site=site,
        before=before,
        events_before=events_before,
        actor=users.get(role),
    )


# --- API: reading --------------------------------------------------------------------------------------------------

# basename, what `retrieve` reads of a site, and the rows of a site the list shows
API_RESOURCES = [
    ("enterprise", lambda s: s.enterprise, lambda s: {s.enterprise.pk}),
    *[
        (KINDS[kind][2], lambda s, kind=kind: s.records[kind], lambda s, kind=kind: {s.records[kind].pk})
        for kind in KINDS
    ],
]
API_IDS = [resource[0] for resource in API_RESOURCES]


@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("basename", "target", "rows"), API_RESOURCES, ids=API_IDS)
def test_api_list(visit, sites, basename, target, rows, role):
    response = visit(role).get(reverse(f"{basename}-list"))

    expected = LISTS[role]
    if isinstance(expected, str):
        matrix.assert_api_refused(response, expected)
        return
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == set().union(*(rows(sites[where]) for where in expected))


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize(("basename", "target", "rows"), API_RESOURCES, ids=API_IDS)
def test_api_retrieve(visit, sites, basename, target, rows, role, where):
    obj = target(sites[where])
    response = visit(role).get(reverse(f"{basename}-detail", args=[obj.pk]))

    outcome = READ[where][role]
    if outcome == OK:
        assert response.status_code == 200
        assert response.json()["id"] == obj.pk
    else:
        matrix.assert_api_refused(response, outcome)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.BUREAU], ids=role_id)
@pytest.mark.parametrize("kind", KINDS)
def test_api_record_list_selects_one_enterprises_records(visit, sites, role, kind):
    basename = KINDS[kind][2]
    response = visit(role).get(reverse(f"{basename}-list"), {"enterprise": sites[OTHER].enterprise.pk})
    assert [row["id"] for row in response.json()["results"]] == [sites[OTHER].records[kind].pk]


# --- API: writing --------------------------------------------------------------------------------------------------

# URL word -> (JSON to create under an enterprise, full JSON to replace the site's record, the field the replacement
# changes, a one-field patch)
RECORD_JSON: dict[str, tuple[dict, dict, str, dict]] = {
    "team": (
        {"name": "接口成员", "position": "工程师", "education": "doctorate", "is_founder": True},
        {"name": "接口改名", "position": "总监", "education": "master", "is_founder": False, "note": ""},
        "name",
        {"note": "兼职"},
    ),
    "tech-sme": (
        {"year": 2025, "registration_no": "2025370305A0004321", "registered_on": "2025-06-01"},
        {"year": 2024, "registration_no": "2024370305A0005555", "registered_on": None},
        "registration_no",
        {"registration_no": "2024370305A0006666"},
    ),
    "hte": (
        {"certificate_no": "GR202537000999", "issued_on": "2025-12-01", "valid_years": 3},
        {"certificate_no": "GR202237000555", "issued_on": "2022-12-12", "valid_years": 3},
        "certificate_no",
        {"issued_on": "2023-11-29"},
    ),
    "hte-application": (
        {"year": 2025, "submitted_on": "2025-06-20"},
        {"year": 2024, "submitted_on": "2024-06-15", "outcome": "rejected", "decided_on": "2024-11-30", "note": ""},
        "outcome",
        {"note": "补充材料后待评审"},
    ),
    "honours": (
        {"kind": "little_giant", "level": "national", "year": 2025},
        {"kind": "innovative_sme", "level": "municipal", "year": 2023, "certificate_no": "", "note": ""},
        "kind",
        {"year": 2022},
    ),
    "financing": (
        {"occurred_on": "2025-04-01", "round": "series_b", "amount": "8000.00", "investor": "国投创新"},
        {"occurred_on": "2024-09-01", "round": "angel", "amount": "450.00", "investor": "齐鲁创投", "note": ""},
        "amount",
        {"amount": "520.00"},
    ),
    "corporate-events": (
        {"kind": "merged", "occurred_on": "2025-04-01", "counterparty": "淄博新材料集团"},
        {
            "kind": "acquired",
            "occurred_on": "2024-09-01",
            "counterparty": "山东重工集团",
            "board": "",
            "security_code": "",
            "note": "",
        },
        "kind",
        {"note": "以公告为准"},
    ),
}


# Here a matrix.ApiWrite's target is a function of the Site: the object whose pk the URL takes (None: the list route).
def _record_writes(kind: str) -> list[matrix.ApiWrite]:
    basename = KINDS[kind][2]
    create, replace, replaced, patch = RECORD_JSON[kind]
    (patched, _value), *_ = patch.items()

    def record(site: Site):
        return site.records[kind]

    return [
        matrix.ApiWrite(
            basename, "post", None, lambda s: {"enterprise": s.enterprise.pk, **create}, number_of(kind), API_CREATE
        ),
        matrix.ApiWrite(
            basename,
            "put",
            record,
            lambda s: {"enterprise": s.enterprise.pk, **replace},
            record_value(kind, replaced),
            WRITE,
        ),
        matrix.ApiWrite(basename, "patch", record, lambda s: patch, record_value(kind, patched), WRITE),
        matrix.ApiWrite(basename, "delete", record, lambda s: {}, record_value(kind, "pk"), WRITE),
    ]


API_WRITES = [
    matrix.ApiWrite(
        "enterprise",
        "post",
        None,
        lambda s: {"name": "接口登记企业", "uscc": valid_uscc("91370305MA7YD4R2W"), "registered_on": "2022-08-09"},
        number_of_enterprises,
        REGISTER_ANYWHERE,
    ),
    matrix.ApiWrite(
        "enterprise",
        "put",
        lambda s: s.enterprise,
        lambda s: {
            "name": "接口更名科技有限公司",
            "kind": "company",
            "uscc": s.enterprise.uscc,
            "registered_on": f"{s.enterprise.registered_on:%Y-%m-%d}",
        },
        enterprise_value("name"),
        WRITE,
    ),
    matrix.ApiWrite(
        "enterprise",
        "patch",
        lambda s: s.enterprise,
        lambda s: {"contact_name": "王敏"},
        enterprise_value("contact_name"),
        WRITE,
    ),
    matrix.ApiWrite(
        "enterprise", "delete", lambda s: s.enterprise, lambda s: {}, enterprise_value("pk"), API_UNSUPPORTED
    ),
    *[write for kind in KINDS for write in _record_writes(kind)],
]


@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("role", EVERYONE, ids=role_id)
@pytest.mark.parametrize("write", API_WRITES, ids=[write.id for write in API_WRITES])
def test_api_write(visit, users, sites, write, role, where):
    site = sites[where]
    outcome = write.rules[where][role]
    client = visit(role)
    before, events_before = write.probe(site), matrix.last_event_id()

    response = getattr(client, write.method)(write.url(site), data=write.payload(site), content_type="application/json")

    matrix.assert_api_write(response, write, outcome)
    matrix.assert_effect(
        outcome=outcome,
        probe=write.probe,
        site=site,
        before=before,
        events_before=events_before,
        actor=users.get(role),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_an_enterprise_user_cannot_move_their_record_to_another_enterprise(visit, sites, kind):
    record = sites[OWN].records[kind]
    url = reverse(f"{KINDS[kind][2]}-detail", args=[record.pk])

    response = visit(Role.ENTERPRISE).patch(
        url, data={"enterprise": sites[OTHER].enterprise.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert type(record).objects.get(pk=record.pk).enterprise_id == sites[OWN].enterprise.pk


def test_an_enterprise_user_cannot_link_themselves_to_another_enterprise_through_the_api(visit, users, sites):
    """The enterprise serializer has no memberships: a write naming them changes nothing."""
    response = visit(Role.ENTERPRISE).patch(
        reverse("enterprise-detail", args=[sites[OWN].enterprise.pk]),
        data={"memberships": [], "contact_name": "王敏"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert EnterpriseMembership.objects.get(user=users[Role.ENTERPRISE]).enterprise == sites[OWN].enterprise
    assert EnterpriseMembership.objects.filter(enterprise=sites[OTHER].enterprise).count() == 1
