"""The bureau dashboard: who sees it and at which scope, the hand-computed figures of targets/tests/dataset.py on it
and in its XLSX export, its bounded queries, and its cache (invalidated by any input's change, its age shown,
warmed again in the background)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from enterprises import services as enterprise_services
from enterprises.models import HTEApplication, OperatingReport
from incubation.models import Residency
from targets import dashboard, selectors, signals, tasks
from targets.models import Target, TargetPlan
from targets.tests import dataset

pytestmark = pytest.mark.django_db

URL = reverse("targets:dashboard")
EXPORT = reverse("targets:dashboard-export")


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def _get(client, url: str):
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


# --- What it shows ---------------------------------------------------------------------------------------------


def test_targets_figures_funnel_and_trends_of_2022(client_for, users, history):
    response = _get(client_for(users[Role.BUREAU]), URL + "?year=2022")
    assert response.status_code == 200
    tables = response.context["tables"]
    by_code = {row["indicator"]: row for row in tables["targets"]}
    # The plan's 2022 targets: ≥ 10 tech SMEs, ≥ 3 HTEs (district-wide), the core provincial or higher.
    assert by_code["tech_smes"]["target_value"] == 10 and by_code["tech_smes"]["actual"] == 4
    assert by_code["tech_smes"]["attainment"] == Decimal("40.0") and by_code["tech_smes"]["status"] == "missed"
    assert by_code["htes"]["actual"] == 2 and by_code["htes"]["attainment"] == Decimal("66.7")
    assert by_code["accreditation_level"]["actual"] == "municipal"
    assert "The year is over" in by_code["tech_smes"]["reason"]
    figures = {row["indicator"].code: row for row in tables["figures"]}
    for code, scopes in dataset.EXPECTED_2022.items():
        yearly, cumulative = scopes["district"]
        assert figures[code]["yearly"] == (None if yearly is None else Decimal(str(yearly))), code
        assert figures[code]["cumulative"] == (None if cumulative is None else Decimal(str(cumulative))), code
    carriers = {row["carrier"].code: row["figures"] for row in tables["carrier_rows"]}
    columns = [i.code for i in tables["carrier_indicators"]]
    for label, code in (("A", "big-data"), ("B", "new-medicine"), ("C", "qizhihui")):
        tenants = carriers[code][columns.index("tenants_year_end")]["yearly"]
        assert tenants == dataset.EXPECTED_2022["tenants_year_end"][label][0]
    # Funnel (by hand from the dataset): E3 admitted; E4 promoted from the core; E9 graduated; no application.
    assert dict(tables["funnel"]) == {"applications": 0, "admissions": 1, "promotions": 1, "graduations": 1}
    trend = dict(tables["trend"])
    assert sorted(trend) == [2021, 2022]
    assert trend[2022][[i.code for i in tables["trend_indicators"]].index("admissions")] == 1
    assert trend[2021][[i.code for i in tables["trend_indicators"]].index("admissions")] == 3  # E2, E7, E8
    page = response.content.decode()
    # Each figure opens its drill-down; the definitions are on the page; the charts have their data.
    assert reverse("targets:indicator_detail", args=["tech_smes", 2022]) + "?form=yearly" in page
    with translation.override("en"):
        assert str(selectors.INDICATORS["htes"].cumulative_definition)[:30] in page
    for chart in ("chart-targets", "chart-carriers", "chart-funnel", "chart-trend"):
        assert f'id="{chart}"' in page and f'data-chart="{chart}"' in page
    assert "js/dashboard.js" in page and "<script>" not in page.replace('<script src="', "")


def test_attainment_from_precomputed_figures_is_the_same(history):
    computed = selectors.compute_figures(years=[2021, 2022, 2023])
    today = datetime.date(2022, 8, 1)
    for year in (2021, 2022, 2023):
        assert computed.scope(year, None) == selectors.indicator_figures(year=year)
        alone = selectors.target_attainment(year=year, today=today)
        shared = selectors.target_attainment(year=year, today=today, computed=computed)
        assert [(a.status, a.actual, a.attainment, a.status_reason) for a in alone] == [
            (a.status, a.actual, a.attainment, a.status_reason) for a in shared
        ]
    with pytest.raises(ValueError, match="do not cover"):
        selectors.target_attainment(year=2024, today=today, computed=computed)


def test_export_has_the_same_numbers(client_for, users, history):
    from openpyxl import load_workbook

    client = client_for(users[Role.BUREAU])
    page = _get(client, URL + "?year=2022")
    response = _get(client, EXPORT + "?year=2022")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About", "Targets", "Indicators", "Carriers", "Pipeline", "Pipeline by year", "Trends"]
    tables = page.context["tables"]
    targets = list(book["Targets"].iter_rows(min_row=2, values_only=True))
    figures = {row[0]: row for row in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    with translation.override("en"):
        tech_smes, revenue = (str(selectors.INDICATORS[code].label) for code in ("tech_smes", "revenue"))
    assert [(row[2], row[3]) for row in targets if row[0] == tech_smes] == [(10, 4)]
    revenue = figures[revenue]
    assert (revenue[1], revenue[2]) == (1300, 2100)
    assert dict(book["Pipeline"].iter_rows(min_row=2, values_only=True)) == {
        "Applications submitted": 0, "Admissions": 1, "Promotions": 1, "Graduations": 1,
    }  # fmt: skip
    trend = list(book["Trends"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in trend] == [year for year, _values in tables["trend"]]
    assert [list(row[1:]) for row in trend] == [
        [None if v is None else float(v) for v in values] for _year, values in tables["trend"]
    ]
    carriers = list(book["Carriers"].iter_rows(min_row=2, values_only=True))
    assert len(carriers) == len(tables["carrier_rows"])


# --- Who sees what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.OPERATOR, 200), (Role.BUREAU, 200), (Role.PARK_STAFF, 200), (Role.EXPERT, 403),
     (Role.ENTERPRISE, 403)],
)  # fmt: skip
def test_who_may_open_it(client_for, users, history, role, status):
    client = client_for(users[role])
    assert client.get(URL).status_code == status
    assert client.get(EXPORT).status_code == status
    nav = f'href="{reverse("targets:dashboard")}"' in client.get(reverse("home")).content.decode()
    assert nav is (status == 200)


def test_park_staff_see_their_carrier_only(client_for, users, history):
    client = client_for(users[Role.PARK_STAFF])
    response = client.get(URL + "?year=2022")
    assert response.context["carrier"] == history["A"] and response.context["district"] is False
    assert [row["carrier"] for row in response.context["tables"]["carrier_rows"]] == [history["A"]]
    assert client.get(URL + f"?year=2022&carrier={history['B'].pk}").status_code == 403
    assert client.get(EXPORT + f"?year=2022&carrier={history['B'].pk}").status_code == 403
    assert client.get(URL + "?year=2022&carrier=999999").status_code == 404
    # Carrier A in 2022 (hand-computed): 2 tenants at year end, one promotion into it is not one out of it.
    funnel = dict(response.context["tables"]["funnel"])
    assert funnel == {"applications": 0, "admissions": 0, "promotions": 0, "graduations": 0}


def test_years_outside_2021_to_this_year_are_not_found(client_for, users, history):
    client = client_for(users[Role.BUREAU])
    assert client.get(URL + "?year=2020").status_code == 404
    assert client.get(URL + f"?year={timezone.localdate().year + 1}").status_code == 404
    assert client.get(URL + "?year=abc").status_code == 404


# --- Queries ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 12])
def test_queries_do_not_grow(client_for, users, history, size, django_assert_max_num_queries):
    dataset.more(users[Role.OPERATOR], size, seed=size)
    client = client_for(users[Role.BUREAU])
    client.get(reverse("targets:plans"))  # the session
    cache.clear()
    with django_assert_max_num_queries(18):  # cold: figures 4, plan, targets, pipeline, funnel 3, carriers 2
        assert client.get(URL + "?year=2022").status_code == 200
    with django_assert_max_num_queries(7):  # warm: the session, the user and the scope's carriers
        assert client.get(URL + "?year=2022").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(EXPORT + "?year=2022").status_code == 200


# --- The cache -------------------------------------------------------------------------------------------------


def test_cached_until_an_input_changes_and_says_how_fresh(
    client_for, users, history, django_capture_on_commit_callbacks
):
    client = client_for(users[Role.BUREAU])
    first = _get(client, URL + "?year=2022")
    computed_at = first.context["data"]["computed_at"]
    stamp = timezone.localtime(computed_at).strftime("%H:%M")
    assert f"Figures computed at {stamp}" in first.content.decode()
    second = _get(client, URL + "?year=2022")
    assert second.context["data"]["computed_at"] == computed_at  # from the cache

    # A residency changes: E7 leaves at the end of June 2022 (a 2022 exit at carrier B).
    residency = Residency.objects.get(enterprise=history["E7"])
    residency.ended_on, residency.end_reason = datetime.date(2022, 6, 30), "exited_voluntary"
    with django_capture_on_commit_callbacks(execute=False):
        residency.save()
    third = _get(client, URL + "?year=2022")
    assert third.context["data"]["computed_at"] > computed_at
    figures = {row["indicator"].code: row for row in third.context["tables"]["figures"]}
    assert figures["tenants_year_end"]["yearly"] == 4  # was 5


def test_verifying_a_report_refreshes_the_figures(client_for, users, history, django_capture_on_commit_callbacks):
    client = client_for(users[Role.BUREAU])
    before = {row["indicator"].code: row for row in _get(client, URL + "?year=2022").context["tables"]["figures"]}
    assert before["revenue"]["yearly"] == Decimal("1300.00")
    report = OperatingReport.objects.get(enterprise=history["E2"], year=2022)  # submitted, 500 of revenue
    with django_capture_on_commit_callbacks(execute=False):
        enterprise_services.report_act(report=report, move="verify", by=users[Role.OPERATOR])
    after = {row["indicator"].code: row for row in _get(client, URL + "?year=2022").context["tables"]["figures"]}
    assert after["revenue"]["yearly"] == Decimal("1800.00")


def test_a_target_change_refreshes_the_status(client_for, users, history, django_capture_on_commit_callbacks):
    client = client_for(users[Role.BUREAU])
    _get(client, URL + "?year=2022")
    target = Target.objects.get(plan=TargetPlan.objects.get(start_year=2021), year=2022, indicator="tech_smes")
    with django_capture_on_commit_callbacks(execute=False):
        target.value = 4
        target.save()
    rows = {row["indicator"]: row for row in _get(client, URL + "?year=2022").context["tables"]["targets"]}
    assert rows["tech_smes"]["status"] == "met"


def test_an_hte_application_refreshes_the_status(client_for, users, history, django_capture_on_commit_callbacks):
    """A pending application this year is pipeline of the HTE target: recording it (or deleting it) must not leave
    the cached status behind."""
    year = timezone.localdate().year
    plan = TargetPlan.objects.get(start_year=2021)
    Target.objects.create(plan=plan, year=year, indicator="htes", value=1)
    client = client_for(users[Role.BUREAU])

    def htes_row() -> dict:
        rows = _get(client, URL + f"?year={year}").context["tables"]["targets"]
        return next(row for row in rows if row["indicator"] == "htes")

    assert htes_row()["pipeline"] == 0
    version = dashboard.data_version()
    with django_capture_on_commit_callbacks(execute=False):
        application = enterprise_services.record_create(
            model=HTEApplication,
            enterprise=history["E1"],  # in residency, no certificate
            by=users[Role.OPERATOR],
            data={"year": year, "submitted_on": datetime.date(year, 1, 1)},
        )
    assert dashboard.data_version() > version
    assert htes_row()["pipeline"] == 1
    version = dashboard.data_version()
    with django_capture_on_commit_callbacks(execute=False):
        enterprise_services.record_delete(record=application, by=users[Role.OPERATOR])
    assert dashboard.data_version() > version
    assert htes_row()["pipeline"] == 0


def test_a_change_schedules_one_warm_up_after_commit(history, monkeypatch, django_capture_on_commit_callbacks):
    scheduled = []
    monkeypatch.setattr(tasks.warm_dashboard, "apply_async", lambda **kwargs: scheduled.append(kwargs))
    cache.delete(signals.WARM_LOCK_KEY)
    version = dashboard.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        signals.inputs_changed()
        signals.inputs_changed()  # a burst of changes: one warm-up
    assert len(scheduled) == 1 and scheduled[0]["countdown"] == signals.WARM_DELAY
    assert dashboard.data_version() > version


def test_warm_up_caches_this_years_district_dashboard(client_for, users, history):
    key = tasks.warm_dashboard()
    warmed = cache.get(key)
    assert warmed is not None and warmed["carrier_id"] is None and warmed["year"] == timezone.localdate().year
    with translation.override("zh-hans"):
        response = client_for(users[Role.BUREAU]).get(URL)
    assert response.context["data"]["computed_at"] == warmed["computed_at"]
    assert tasks.warm_dashboard() == key  # a repeated delivery finds it cached


@pytest.fixture
def computations(monkeypatch) -> list:
    """The `years` of every heavy figure computation (selectors.compute_figures) made during the test."""
    calls = []
    real = selectors.compute_figures

    def counting(**kwargs):
        calls.append(kwargs["years"])
        return real(**kwargs)

    monkeypatch.setattr(selectors, "compute_figures", counting)
    return calls


def test_every_scope_and_language_of_a_year_shares_one_figure_computation(client_for, users, history, computations):
    client = client_for(users[Role.BUREAU])
    district = _get(client, URL + "?year=2022")
    carrier = _get(client, URL + f"?year=2022&carrier={history['A'].pk}")
    with translation.override("zh-hans"):
        chinese = client.get(URL + "?year=2022")
    assert district.status_code == carrier.status_code == chinese.status_code == 200
    assert computations == [[2022]]  # the heavy statement ran once for the three pages
    alone = selectors.indicator_figures(year=2022, carrier=history["A"])
    figures = {row["indicator"].code: row for row in carrier.context["tables"]["figures"]}
    assert figures["tenants_year_end"]["yearly"] == alone["tenants_year_end"].yearly


def test_warm_up_also_computes_the_earlier_years(history, computations):
    tasks.warm_dashboard()
    this_year = timezone.localdate().year
    assert computations == [[year] for year in range(this_year, dashboard.FIRST_YEAR - 1, -1)]
    version = dashboard.data_version()
    for year in range(dashboard.FIRST_YEAR, this_year + 1):
        assert cache.get(dashboard.figures_key(year=year, version=version)) is not None
    computations.clear()
    dashboard.dashboard_data(year=2022, carrier=history["B"])
    assert computations == []  # another year and scope after the warm-up: no heavy statement


def test_trend_is_each_years_own_yearly_figure(history):
    """The trend's yearly figures come from the selected year's computation; they are what each year shows alone."""
    for carrier in (None, history["A"], history["B"]):
        data = dashboard.compute(year=2023, carrier=carrier)
        assert sorted(data["trend"]) == [2021, 2022, 2023]
        for year in (2021, 2022, 2023):
            alone = selectors.indicator_figures(year=year, carrier=carrier)
            assert data["trend"][year] == {code: alone[code].yearly for code in dashboard.TREND_INDICATORS}
    computed = selectors.compute_figures(years=[2022])
    with pytest.raises(KeyError):
        computed.yearly("tech_smes", 2024, None)  # a year not computed is not a zero


def test_every_input_model_is_watched():
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from django.dispatch.dispatcher import _make_id

    for label in signals.INPUT_MODELS:
        model = apps.get_model(label)
        for signal, kind in ((post_save, "save"), (post_delete, "delete")):
            keys = [key for key, *_rest in signal.receivers]
            assert (f"targets.inputs_changed.{kind}.{label}", _make_id(model)) in keys, (label, kind)


# --- The API ---------------------------------------------------------------------------------------------------


def test_api_gives_the_same_numbers(client_for, users, history):
    api = reverse("dashboard-data")
    bureau = client_for(users[Role.BUREAU])
    data = bureau.get(api + "?year=2022").json()
    assert data["year"] == 2022 and data["carrier"] is None and data["computed_at"]
    targets = {row["indicator"]: row for row in data["targets"]}
    assert (targets["tech_smes"]["target_value"], targets["tech_smes"]["actual"]) == ("10.00", "4")
    assert targets["tech_smes"]["status"] == "missed" and targets["tech_smes"]["attainment"] == "40.0"
    figures = {row["code"]: row for row in data["figures"]}
    assert (figures["revenue"]["yearly"], figures["revenue"]["cumulative"]) == ("1300.00", "2100.00")
    assert data["funnel"] == {"applications": 0, "admissions": 1, "promotions": 1, "graduations": 1}
    assert [row["year"] for row in data["trend"]] == [2021, 2022]
    assert len(data["carriers"]) == 6
    assert bureau.get(api + "?year=2020").status_code == 400

    park = client_for(users[Role.PARK_STAFF])
    own = park.get(api + f"?year=2022&carrier={history['A'].pk}").json()
    assert [row["carrier"] for row in own["carriers"]] == [history["A"].pk]
    assert own["carriers"][0]["figures"]["tenants_year_end"] == "2.00"
    assert park.get(api + f"?year=2022&carrier={history['B'].pk}").status_code == 403
    assert client_for(users[Role.EXPERT]).get(api).status_code == 403


def test_a_cache_outage_neither_breaks_a_write_nor_the_page(client_for, users, history, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    for method in ("get", "add", "incr", "set"):
        monkeypatch.setattr(cache, method, down)
    residency = Residency.objects.get(enterprise=history["E7"])
    residency.note = "缓存不可用时仍可保存"
    residency.save()  # post_save asks the cache to bump the version: logged, not raised
    response = client_for(users[Role.BUREAU]).get(URL + "?year=2022")
    assert response.status_code == 200 and response.context["data"]["year"] == 2022
