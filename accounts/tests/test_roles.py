import pytest
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES, POLICY, Role, can, roles_of, sync_role_groups

pytestmark = pytest.mark.django_db


def test_the_six_role_groups_exist_with_their_chinese_names():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "系统管理员",
        "运营公司",
        "分园管理员",
        "区科技局",
        "评审专家",
        "企业用户",
    }


def test_each_group_holds_exactly_the_permissions_the_policy_grants():
    for role in [Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU, Role.EXPERT, Role.ENTERPRISE]:
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=GROUP_NAMES[role]).permissions.select_related("content_type")
        }
        expected = {
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label, actions in POLICY.items()
            for action, roles in actions.items()
            if role in roles
        }
        assert granted == expected, role


def test_the_bureau_reads_the_structure_but_cannot_change_it(users):
    bureau = users[Role.BUREAU]
    assert can(bureau, "view", "parks.carrier")
    assert not any(can(bureau, action, "parks.carrier") for action in ("add", "change", "delete"))
    assert not bureau.has_perm("parks.change_carrier")


def test_syncing_the_groups_twice_changes_nothing():
    def state():
        return {g.name: sorted(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}

    before = state()
    sync_role_groups()
    assert state() == before


def test_an_inactive_user_has_no_role(users):
    user = users[Role.OPERATOR]
    user.is_active = False
    assert roles_of(user) == frozenset()
