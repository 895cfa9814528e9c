"""The pages show the definitions next to the figures, the contributors with their contributions, and the plan's
targets with their history; their queries do not grow with the data."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from targets.indicators import INDICATORS
from targets.models import Target, TargetPlan
from targets.tests import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(users):
    return dataset.build(users[Role.OPERATOR])


def test_overview_shows_every_figure_with_its_definition(client_for, users, history):
    with translation.override("en"):
        response = client_for(users[Role.BUREAU]).get(
            reverse("targets:indicators") + "?year=2022", HTTP_ACCEPT_LANGUAGE="en"
        )
    page = response.content.decode()
    rows = {row["figure"].indicator.code: row for row in response.context["rows"]}
    assert set(rows) == set(INDICATORS)
    assert rows["tech_smes"]["figure"].yearly == 4
    assert rows["tech_smes"]["attainment"].status == "missed"
    with translation.override("en"):
        assert str(INDICATORS["htes"].yearly_definition)[:40] in page


def test_drill_down_lists_contributors_sorted_and_filtered(client_for, users, history):
    client = client_for(users[Role.OPERATOR])
    url = reverse("targets:indicator_detail", args=["revenue", 2022])
    response = client.get(url + "?form=cumulative&sort=-contribution")
    rows = [(e.name, e.contribution) for e in response.context["page_obj"].object_list]
    assert rows == [("指标测试企业1", 1800), ("指标测试企业4", 300), ("指标测试企业7", 0)]  # E7 reported no revenue
    assert response.context["value"] == 2100
    page = response.content.decode()
    assert reverse("enterprises:enterprise_detail", args=[history["E1"].pk]) in page
    response = client.get(url + "?form=cumulative&sort=name&q=企业4")
    assert [e.name for e in response.context["page_obj"].object_list] == ["指标测试企业4"]
    response = client.get(url + f"?carrier={history['C'].pk}")
    assert [e.name for e in response.context["page_obj"].object_list] == ["指标测试企业4"]
    assert client.get(reverse("targets:indicator_detail", args=["nonsense", 2022])).status_code == 404
    level = client.get(reverse("targets:indicator_detail", args=["accreditation_level", 2022]))
    assert level.status_code == 200 and level.context["level"] == "municipal"


def test_plan_and_target_pages(client_for, users, history):
    plan = TargetPlan.objects.get(start_year=2021)
    bureau = client_for(users[Role.BUREAU])
    response = bureau.get(reverse("targets:plan_detail", args=[plan.pk]))
    assert response.context["years"] == [2021, 2022, 2023]
    assert [row["indicator"].code for row in response.context["rows"]] == ["tech_smes", "htes", "accreditation_level"]
    target = Target.objects.get(plan=plan, year=2022, indicator="htes")
    response = bureau.post(
        reverse("targets:target_edit", args=[target.pk]),
        {"form": "yearly", "comparison": "at_least", "value": "4", "note": "", "reason": "新增培育计划"},
    )
    assert response.status_code == 302
    response = bureau.get(reverse("targets:target_detail", args=[target.pk]))
    assert "新增培育计划" in response.content.decode()
    response = bureau.post(
        reverse("targets:target_edit", args=[target.pk]), {"form": "yearly", "comparison": "at_least", "value": "5"}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = bureau.post(
        reverse("targets:plan_add_year", args=[plan.pk]),
        {"year": "2024", "form": "yearly", "target_tech_smes": "20", "target_accreditation_level": "national",
         "reason": "延续"},
    )  # fmt: skip
    assert response.status_code == 302
    added = Target.objects.filter(plan=plan, year=2024)
    assert {(t.indicator, t.carrier.code if t.carrier else None) for t in added} == {
        ("tech_smes", None), ("accreditation_level", "qizhihui")
    }  # fmt: skip


@pytest.mark.parametrize("size", [0, 10])
def test_page_queries_do_not_grow(client_for, users, history, size, django_assert_max_num_queries):
    dataset.more(users[Role.OPERATOR], size, seed=size)
    client = client_for(users[Role.BUREAU])
    client.get(reverse("targets:plans"))  # warm the session
    with django_assert_max_num_queries(25):
        assert client.get(reverse("targets:indicators") + "?year=2022").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("targets:indicator_detail", args=["tech_smes", 2022])).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client.get(
                reverse("targets:indicator_detail", args=["occupancy_rate", 2022]) + "?form=cumulative"
            ).status_code
            == 200
        )
    plan = TargetPlan.objects.get(start_year=2021)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("targets:plan_detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("targets:plans")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("indicator-list") + "?year=2022").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("indicator-contributors", args=["revenue"]) + "?year=2022").status_code == 200
