"""Staff add a rule version from the portal without code: a draft copied from the latest, criteria naming metrics
the portal computes (an unknown one is refused when saved), published once; a date in the past needs a
confirmation after seeing the decisions it would contradict, and past evaluations keep their version."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from enterprises.choices import ReportStatus
from enterprises.tests.report_factories import report, tenant
from targets import services
from targets.forms import BandRow
from targets.models import Evaluation, Scheme, SchemeVersion
from targets.selectors.evaluation import version_in_force

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def scheme():
    return Scheme.objects.get(code="tech_sme_evaluation")


def rows_of(version) -> list[dict]:
    return [
        {**{name: getattr(item, name) for name in services.CRITERION_FIELDS},
         "bands": [BandRow(band.lower, band.lower_inclusive, band.value) for band in item.bands.order_by("lower")]}
        for item in version.criteria.order_by("position")
    ]  # fmt: skip


def test_a_draft_copies_the_latest_version_and_only_one_draft_at_a_time(users, scheme, english):
    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    assert (draft.version, draft.is_published, draft.document_no) == (2, False, "国科发政〔2017〕115号")
    assert draft.criteria.count() == 16
    assert draft.criteria.get(code="score_tech_staff").bands.count() == 6
    with pytest.raises(ValidationError, match="already has a draft"):
        services.draft_version(scheme=scheme, by=users[Role.OPERATOR])


@pytest.mark.parametrize("role", [Role.PARK_STAFF, Role.BUREAU, Role.ENTERPRISE, Role.EXPERT])
def test_only_the_operating_company_drafts_versions(users, scheme, role):
    with pytest.raises(PermissionDenied):
        services.draft_version(scheme=scheme, by=users[role])


def test_an_unknown_metric_or_a_wrong_unit_is_refused_when_saved_and_nothing_changes(users, scheme, english):
    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    rows = rows_of(draft)
    rows[1] = {**rows[1], "metric": "profit_margin"}
    rows[2] = {**rows[2], "unit": "percent"}
    with pytest.raises(ValidationError) as refused:
        services.update_draft(version=draft, data={}, criteria=rows, by=users[Role.OPERATOR])
    text = " ".join(refused.value.messages)
    assert "2: “profit_margin” is not a metric the portal computes." in text
    assert "3: " in text
    assert draft.criteria.get(code="employees").metric == "employees"


def test_a_new_version_from_a_future_date_changes_evaluations_from_then_and_keeps_the_old_ones(users, scheme):
    company = tenant(registered_on=datetime.date(2021, 3, 1))
    report(company, year=TODAY.year - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR],
           total_assets=Decimal(3000))  # fmt: skip
    services.record_evaluations(scheme=scheme.code, year=TODAY.year, on=TODAY)
    old = Evaluation.objects.get(enterprise=company)
    assert old.outcome == "qualified"

    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    rows = rows_of(draft)
    employees = next(row for row in rows if row["code"] == "employees")
    employees["threshold"] = Decimal(30)  # the tenant has 40
    starts = TODAY + datetime.timedelta(days=1)
    services.update_draft(version=draft, data={"effective_from": starts, "document_no": "示例〔2026〕1号"},
                          criteria=rows, by=users[Role.OPERATOR])  # fmt: skip
    services.publish_version(version=draft, by=users[Role.OPERATOR])
    assert version_in_force(scheme, TODAY).version == 1
    assert version_in_force(scheme, starts).version == 2

    services.record_evaluations(scheme=scheme.code, year=TODAY.year, on=starts)
    old.refresh_from_db()
    assert (old.version.version, old.outcome, old.is_current) == (1, "qualified", False)
    new = Evaluation.objects.get(enterprise=company, is_current=True)
    assert (new.version.version, new.outcome) == (2, "not_qualified")


def test_a_published_version_refuses_edits_through_the_services(users, scheme, english):
    published = SchemeVersion.objects.get(scheme=scheme, version=1)
    with pytest.raises(ValidationError, match="never changes"):
        services.update_draft(version=published, data={}, criteria=rows_of(published), by=users[Role.OPERATOR])


def _a_stricter_draft_from_last_month(users, scheme):
    """A tenant evaluated 10 days ago (qualified, 40 employees) and a draft from 30 days ago allowing 30."""
    company = tenant(registered_on=datetime.date(2021, 3, 1), name="淄博甲乙科技有限公司")
    report(company, year=TODAY.year - 1, status=ReportStatus.VERIFIED, by=users[Role.OPERATOR],
           total_assets=Decimal(3000))  # fmt: skip
    services.record_evaluations(scheme=scheme.code, year=TODAY.year, on=TODAY - datetime.timedelta(days=10))
    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    rows = rows_of(draft)
    next(row for row in rows if row["code"] == "employees")["threshold"] = Decimal(30)
    services.update_draft(version=draft, data={"effective_from": TODAY - datetime.timedelta(days=30)}, criteria=rows,
                          by=users[Role.OPERATOR])  # fmt: skip
    draft.refresh_from_db()
    return company, draft


def test_a_date_in_the_past_needs_confirmation_after_seeing_what_it_contradicts(users, scheme, english):
    company, draft = _a_stricter_draft_from_last_month(users, scheme)
    effects = services.retroactive_effects(draft)
    assert effects.judged == 1
    assert [(item.enterprise, item.was, item.would_be) for item in effects.decisions] == [
        ("淄博甲乙科技有限公司", "qualified", "not_qualified")
    ]
    with pytest.raises(ValidationError, match="in the past"):
        services.publish_version(version=draft, by=users[Role.OPERATOR])
    assert not SchemeVersion.objects.get(pk=draft.pk).is_published
    services.publish_version(version=draft, by=users[Role.OPERATOR], confirm_retroactive=True)
    published = SchemeVersion.objects.get(pk=draft.pk)
    assert published.retroactive_confirmation["decisions"] == [
        {"enterprise": company.pk, "year": TODAY.year, "was": "qualified", "would_be": "not_qualified"}
    ]
    # The evaluation made before keeps the version it used.
    assert Evaluation.objects.get(enterprise=company).version.version == 1


# --- pages -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_rules(visit, users, scheme, role):
    client = visit(role)
    assert client.get(reverse("targets:rule_schemes")).status_code == 200
    page = client.get(reverse("targets:rule_scheme", args=[scheme.code]))
    assert page.status_code == 200
    assert "国科发政〔2017〕115号" in page.content.decode()


@pytest.mark.parametrize(("role", "status"), [(Role.PARK_STAFF, 403), (Role.BUREAU, 403), (Role.ENTERPRISE, 403)])
def test_others_may_not_draft_edit_or_publish(visit, users, scheme, role, status):
    draft = services.draft_version(scheme=scheme, by=users[Role.OPERATOR])
    client = visit(role)
    assert client.post(reverse("targets:rule_version_draft", args=[scheme.code])).status_code in (status, 302)
    assert SchemeVersion.objects.filter(scheme=scheme).count() == 2
    assert client.get(reverse("targets:rule_version_edit", args=[draft.pk])).status_code == status
    assert client.post(reverse("targets:rule_version_publish", args=[draft.pk])).status_code == status
    assert not SchemeVersion.objects.get(pk=draft.pk).is_published


def _management(formset_rows: list[dict]) -> dict:
    data = {"c-TOTAL_FORMS": str(len(formset_rows)), "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for index, row in enumerate(formset_rows):
        data.update({f"c-{index}-{name}": value for name, value in row.items()})
    return data


def test_the_operating_company_drafts_edits_and_publishes_in_the_browser_forms(client_for, users, scheme):
    client = client_for(users[Role.OPERATOR])
    response = client.post(reverse("targets:rule_version_draft", args=[scheme.code]))
    draft = SchemeVersion.objects.get(scheme=scheme, published_at__isnull=True)
    assert response.url == reverse("targets:rule_version_edit", args=[draft.pk])
    edit = client.get(response.url)
    assert "≥ 30: 20" in edit.content.decode()
    header = {
        "title": "科技型中小企业评价办法（示例修订）", "issuer": "工业和信息化部", "document_no": "示例〔2026〕2号",
        "region": "全国", "effective_from": (TODAY + datetime.timedelta(days=5)).isoformat(), "source": "测试",
    }  # fmt: skip
    criteria = [
        {"code": "employees", "kind": "gate", "metric": "employees", "operator": "le", "threshold": "400",
         "unit": "count", "text": "职工总数不超过400人"},
        {"code": "score_ip", "kind": "score", "metric": "class_i_ip", "unit": "count", "text": "Ⅰ类知识产权",
         "bands": "-: 0\n≥ 1: 30"},
        {"code": "bad", "kind": "gate", "metric": "profit_margin", "operator": "ge", "threshold": "1",
         "unit": "percent", "text": "利润率"},
    ]  # fmt: skip
    refused = client.post(response.url, {**header, **_management(criteria)})
    assert refused.status_code == 200
    assert "profit_margin" in refused.content.decode()
    assert draft.criteria.count() == 16  # nothing changed
    bad_band = client.post(response.url, {**header, **_management([{**criteria[1], "bands": "≥ ten: 30"}])})
    assert "“≥ 10: 4”" in bad_band.content.decode()
    saved = client.post(response.url, {**header, **_management(criteria[:2])})
    assert saved.status_code == 302
    assert list(draft.criteria.values_list("code", flat=True)) == ["employees", "score_ip"]
    assert [(band.lower, band.value) for band in draft.criteria.get(code="score_ip").bands.order_by("value")] == [
        (None, 0),
        (1, 30),
    ]
    assert client.get(reverse("targets:rule_version_publish", args=[draft.pk])).status_code == 200
    assert client.post(reverse("targets:rule_version_publish", args=[draft.pk])).status_code == 302
    assert SchemeVersion.objects.get(pk=draft.pk).is_published


def test_the_publish_page_shows_the_decisions_a_past_date_contradicts_and_asks_to_confirm(client_for, users, scheme):
    company, draft = _a_stricter_draft_from_last_month(users, scheme)
    client = client_for(users[Role.OPERATOR])
    url = reverse("targets:rule_version_publish", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "淄博甲乙科技有限公司" in html
    assert "confirm_retroactive" in html
    refused = client.post(url)
    assert refused.status_code == 200
    assert not SchemeVersion.objects.get(pk=draft.pk).is_published
    assert client.post(url, {"confirm_retroactive": "on"}).status_code == 302
    assert SchemeVersion.objects.get(pk=draft.pk).is_published
    detail = client.get(reverse("targets:rule_scheme", args=[scheme.code])).content.decode()
    assert "1" in detail and str(TODAY.year) in detail
