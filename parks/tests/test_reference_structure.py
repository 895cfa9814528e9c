import pytest
from django.apps import apps as global_apps

from parks.migrations._reference_2021 import load_reference_structure
from parks.models import AnchorOrganisation, Carrier, FocusField

pytestmark = pytest.mark.django_db

PARKS = {
    "绿色化工产业园": (
        {"齐翔腾达", "凯威尔", "一诺威新材料"},
        {"碳三", "碳四", "碳五", "碳九", "聚氨酯", "化工新材料"},
    ),
    "大数据产业园": ({"爱特云翔"}, {"大数据", "云计算", "云服务", "人工智能"}),
    "智能制造产业园": (
        {"清华大学", "北京航空航天大学", "吉林大学", "奇瑞控股集团", "无人驾驶创新中心平台"},
        {"无人驾驶智能整机装备", "智能化部件", "线控底盘", "应用软件", "动力电池", "机器人"},
    ),
    "新医药产业园": (
        {"蓝帆医疗", "齐都药业", "英科医疗", "百极荣创"},
        {"原料药", "生物制药", "医药包装", "中药", "化学药", "药用辅料", "CMC"},
    ),
    "新材料产业园": ({"中电科十二所", "齐峰新材"}, {"集成电路材料", "无机非金属材料", "特种纸", "环保新材料"}),
}


def test_there_is_exactly_one_core_with_the_plans_name_and_stages():
    core = Carrier.objects.get(kind="core")
    assert core.name == "临淄区齐智汇科技孵化中心"
    assert core.stages == ["seedbed", "incubator", "accelerator"]
    assert set(core.focus_fields.values_list("name", flat=True)) == {
        "绿色化工",
        "智能装备制造",
        "大数据",
        "新医药",
        "新材料",
    }
    assert Carrier.objects.count() == 6


@pytest.mark.parametrize("name", list(PARKS))
def test_each_park_has_the_plans_anchors_and_focus_fields(name):
    anchors, fields = PARKS[name]
    park = Carrier.objects.get(name=name)
    assert park.kind == "park"
    assert park.stages == ["incubator", "industrial_park"]
    assert park.name_en
    assert set(park.anchors.values_list("name", flat=True)) == anchors
    assert set(park.focus_fields.values_list("name", flat=True)) == fields
    assert all(field.parent is not None for field in park.focus_fields.all())


def test_the_anchor_types_follow_the_plan():
    kinds = dict(AnchorOrganisation.objects.values_list("name", "kind"))
    assert kinds["清华大学"] == "university"
    assert kinds["中电科十二所"] == "research_institute"
    assert kinds["无人驾驶创新中心平台"] == "platform"
    assert kinds["齐翔腾达"] == "enterprise"


def test_loading_the_reference_structure_again_changes_nothing():
    def state():
        return (
            list(Carrier.objects.order_by("pk").values()),
            list(FocusField.objects.order_by("pk").values()),
            list(AnchorOrganisation.objects.order_by("pk").values()),
            sorted(Carrier.focus_fields.through.objects.values_list("carrier_id", "focusfield_id")),
        )

    before = state()
    load_reference_structure(global_apps)
    load_reference_structure(global_apps)
    assert state() == before


def test_reloading_keeps_what_staff_edited():
    park = Carrier.objects.get(code="big-data")
    park.aim = "staff's own wording"
    park.save()

    load_reference_structure(global_apps)

    park.refresh_from_db()
    assert park.aim == "staff's own wording"
