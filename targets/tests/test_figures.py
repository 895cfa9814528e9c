"""Every indicator, yearly and cumulative, district-wide and per carrier, against figures computed by hand from
targets/tests/dataset.py; the contributors of each figure add up to it; the queries do not grow with the data."""

from decimal import Decimal

import pytest

from incubation.models import RuleSet
from targets import selectors
from targets.indicators import INDICATORS
from targets.tests import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(users):
    from accounts.roles import Role

    return dataset.build(users[Role.OPERATOR])


def _expected(value):
    return None if value is None else Decimal(str(value))


def _scope(history, scope):
    return None if scope == "district" else history[scope]


@pytest.mark.parametrize("code", sorted(dataset.EXPECTED_2022))
def test_each_indicator_for_2022_district_and_per_carrier(history, code):
    district = selectors.indicator_figures(year=2022)
    by_carrier = selectors.indicator_figures_by_carrier(year=2022)
    for scope, (yearly, cumulative) in dataset.EXPECTED_2022[code].items():
        figure = district[code] if scope == "district" else by_carrier[history[scope].pk][code]
        assert (figure.yearly, figure.cumulative) == (_expected(yearly), _expected(cumulative)), (code, scope)
        # The single-carrier call agrees with the by-carrier one.
        if scope != "district":
            single = selectors.indicator_figures(year=2022, carrier=history[scope])[code]
            assert (single.yearly, single.cumulative) == (figure.yearly, figure.cumulative)


def test_accreditation_level_is_the_highest_held_on_31_december(history):
    district = selectors.indicator_figures(year=2022)["accreditation_level"]
    assert (district.yearly, district.cumulative) == (None, None)
    assert district.yearly_level == district.cumulative_level == "municipal"
    by_carrier = selectors.indicator_figures_by_carrier(year=2022)
    for scope in ("A", "B", "C"):
        assert by_carrier[history[scope].pk]["accreditation_level"].yearly_level == dataset.EXPECTED_LEVEL_2022[scope]
    assert selectors.indicator_figures(year=2023)["accreditation_level"].yearly_level == "provincial"


def test_2021_figures_and_the_trend_agrees(history):
    trend = selectors.indicator_trend(years=[2021, 2022])
    by_carrier_2021 = selectors.indicator_figures_by_carrier(year=2021)
    for code, scopes in dataset.EXPECTED_2021.items():
        for scope, value in scopes.items():
            if scope == "district":
                figure = trend[2021][code]
            else:
                figure = by_carrier_2021[history[scope].pk][code]
            assert figure.yearly == _expected(value), (code, scope)
    assert trend[2022] == selectors.indicator_figures(year=2022)
    # The first plan year: cumulative = yearly for the flows.
    assert trend[2021]["admissions"].cumulative == trend[2021]["admissions"].yearly == 3


def test_year_boundaries(history):
    """Ending on 31 December leaves before the year end; ending on 1 January stays to it; admitted on 1 January
    counts in that year; a promotion is no admission."""
    figures = selectors.indicator_figures(year=2022)
    tenants = set(
        selectors.indicator_contributors(code="tenants_year_end", year=2022, form="yearly").values_list(
            "name", flat=True
        )
    )
    assert "指标测试企业2" not in tenants and "指标测试企业4" in tenants
    admitted = list(selectors.indicator_contributors(code="admissions", year=2022, form="yearly"))
    assert [e.name for e in admitted] == ["指标测试企业3"]
    assert figures["admissions"].yearly == 1


def test_graduate_window_edges_follow_the_rule_set_in_force(history):
    names = lambda: set(  # noqa: E731
        selectors.indicator_contributors(code="tech_smes", year=2022, form="yearly").values_list("name", flat=True)
    )
    assert "指标测试企业5" in names()  # graduated 36 months before 1 January 2022
    assert "指标测试企业6" not in names()  # 37 months
    # A new version effective on 31 December 2022 (the date the selectors read) widens the window to 37 months.
    RuleSet.objects.create(
        kind="target_counting", version=2, effective_from=dataset.D(2022, 12, 31), combination="all",
        criteria=[{"code": "graduate_window_months", "params": {"months": 37}}],
    )  # fmt: skip
    assert "指标测试企业6" in names()
    assert selectors.indicator_figures(year=2022)["tech_smes"].yearly == 5
    assert selectors.graduate_windows([2021, 2022]) == {2021: 36, 2022: 37}


def test_hte_counts_in_its_first_year_only_and_tech_sme_renewal_missed(history):
    hte_2021 = set(
        selectors.indicator_contributors(code="htes", year=2021, form="yearly").values_list("name", flat=True)
    )
    hte_2022 = set(
        selectors.indicator_contributors(code="htes", year=2022, form="yearly").values_list("name", flat=True)
    )
    assert hte_2021 == {"指标测试企业8"}
    assert "指标测试企业8" not in hte_2022  # the renewal in 2022 is not a new one
    assert hte_2022 == {"指标测试企业3", "指标测试企业9"}
    sme_2021 = set(
        selectors.indicator_contributors(code="tech_smes", year=2021, form="yearly").values_list("name", flat=True)
    )
    sme_2022 = set(
        selectors.indicator_contributors(code="tech_smes", year=2022, form="yearly").values_list("name", flat=True)
    )
    assert "指标测试企业7" in sme_2021 and "指标测试企业7" not in sme_2022


def test_only_verified_current_reports_count(history):
    revenue = {
        e.name: e.contribution for e in selectors.indicator_contributors(code="revenue", year=2022, form="yearly")
    }
    assert revenue == {"指标测试企业1": Decimal(1000), "指标测试企业4": Decimal(300)}  # E2 unverified, E4 v1 superseded


@pytest.mark.parametrize("code", sorted(dataset.EXPECTED_2022))
@pytest.mark.parametrize("form", ["yearly", "cumulative"])
def test_contributions_add_up_to_the_figure(history, code, form):
    indicator = INDICATORS[code]
    district = selectors.indicator_figures(year=2022)
    by_carrier = selectors.indicator_figures_by_carrier(year=2022)
    for scope in ("district", "A", "B", "C"):
        carrier = _scope(history, scope)
        figure = (district if carrier is None else by_carrier[carrier.pk])[code].value(form)
        contributors = selectors.indicator_contributors(code=code, year=2022, form=form, carrier=carrier)
        total = sum((e.contribution for e in contributors), Decimal(0))
        if figure is None:
            assert total == 0, (code, form, scope)
            continue
        places = Decimal("0.01") if indicator.unit in ("wan_yuan", "percent") else Decimal(1)
        assert total.quantize(places) == figure, (code, form, scope)
        if indicator.unit in ("enterprises",):
            assert contributors.count() == figure


def test_a_level_has_no_contributors_and_an_unknown_code_is_refused(history):
    assert list(selectors.indicator_contributors(code="accreditation_level", year=2022, form="yearly")) == []
    with pytest.raises(ValueError):
        selectors.indicator_contributors(code="nonsense", year=2022, form="yearly")


def test_contributors_are_sortable_by_contribution(history):
    contributors = selectors.indicator_contributors(code="jobs", year=2022, form="cumulative").order_by(
        "-contribution", "name"
    )
    assert [(e.name, e.contribution) for e in contributors] == [
        ("指标测试企业1", 20), ("指标测试企业4", 6), ("指标测试企业7", 3)
    ]  # fmt: skip


@pytest.mark.parametrize("size", [0, 12])
def test_query_counts_do_not_grow_with_data_or_years(history, users, django_assert_max_num_queries, size):
    from accounts.roles import Role

    dataset.more(users[Role.OPERATOR], size, seed=size)
    with django_assert_max_num_queries(5):
        selectors.indicator_figures(year=2022)
    with django_assert_max_num_queries(6):
        selectors.indicator_figures_by_carrier(year=2022)
    with django_assert_max_num_queries(5):
        selectors.indicator_trend(years=[2021, 2022, 2023, 2024, 2025])
    for code in INDICATORS:
        if code == "accreditation_level":
            continue
        with django_assert_max_num_queries(5):
            list(selectors.indicator_contributors(code=code, year=2022, form="cumulative"))
