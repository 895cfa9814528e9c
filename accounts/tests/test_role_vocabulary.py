"""One vocabulary for scope: the role sets and "who sees every carrier" are named in accounts.roles, and nowhere
else does code build a role set of its own (a new room would otherwise restate the rule a third way)."""

from __future__ import annotations

import ast
import pathlib

import pytest

from accounts import roles
from accounts.roles import Role, carrier_lookup, carrier_scope, carriers_in_scope, sees_every_carrier
from conftest import make_user
from parks.models import Carrier

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The role-set constants accounts.roles names (STAFF_ROLES, TENANT_OVERSIGHT, ...).
ROLE_SETS = {
    name
    for name, value in vars(roles).items()
    if isinstance(value, frozenset) and value and all(isinstance(member, Role) for member in value)
}
COMPOSING = (ast.BitOr, ast.Sub, ast.BitXor)


def _application_sources() -> list[pathlib.Path]:
    """Every module of the portal outside accounts/, its tests and migrations."""
    skipped = {".venv", "accounts", "tests", "migrations", "node_modules", "static"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skipped & set(path.relative_to(ROOT).parts) and path.name != "conftest.py"
    ]


def _is_role_member(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def _is_role_set(node: ast.AST) -> bool:
    """A set literal of Role members, frozenset/set(...) of one, or a role-set constant of accounts.roles."""
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return any(_is_role_member(element) for element in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"set", "frozenset"}:
        return any(_is_role_set(argument) for argument in node.args)
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return name in ROLE_SETS


def role_sets_built(source: str) -> list[str]:
    """Where `source` builds a role set: a literal of two or more roles (or a set/frozenset of any), a union or
    difference with a role set, an intersection of two role sets, has_role() given two or more roles."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Set | ast.Tuple | ast.List) and sum(map(_is_role_member, node.elts)) >= 2:
            found.append(node)
        elif isinstance(node, ast.Set) and any(map(_is_role_member, node.elts)):
            found.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"set", "frozenset"} and any(_is_role_set(argument) for argument in node.args):
                found.append(node)
            elif node.func.id == "has_role" and sum(map(_is_role_member, node.args)) >= 2:
                found.append(node)
        elif isinstance(node, ast.BinOp | ast.AugAssign):
            left = node.left if isinstance(node, ast.BinOp) else node.target
            right = node.right if isinstance(node, ast.BinOp) else node.value
            sides = (_is_role_set(left), _is_role_set(right))
            if (isinstance(node.op, COMPOSING) and any(sides)) or (isinstance(node.op, ast.BitAnd) and all(sides)):
                found.append(node)
    lines = source.splitlines()
    return [f"line {number}: {lines[number - 1].strip()}" for number in sorted({node.lineno for node in found})]


def test_the_scan_finds_the_ways_a_role_set_is_built():
    built = role_sets_built(
        "a = roles & {Role.ADMIN, Role.OPERATOR}\n"
        "b = STAFF_ROLES | {Role.ENTERPRISE}\n"
        "c = frozenset({Role.ENTERPRISE})\n"
        "d = has_role(user, Role.ADMIN, Role.BUREAU)\n"
        "e = roles.OPERATING_ROLES - TARGET_KEEPERS\n"
        "f = {Role.EXPERT}\n"
    )
    assert [line.split(":")[0] for line in built] == [f"line {n}" for n in range(1, 7)]
    # Asking whether a user holds a role of a named set builds nothing.
    assert (
        role_sets_built("a = roles_of(user) & STAFF_ROLES\nb = Role.EXPERT in roles\nc = has_role(u, Role.EXPERT)")
        == []
    )


def test_no_module_outside_accounts_builds_a_role_set_of_its_own():
    offenders = {
        str(path.relative_to(ROOT)): built
        for path in _application_sources()
        if (built := role_sets_built(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "name the role set in accounts/roles.py and import it"


@pytest.mark.django_db
def test_who_sees_every_carrier(users):
    big_data = Carrier.objects.get(code="big-data")
    every = set(Carrier.objects.values_list("pk", flat=True))
    assert len(every) > 1
    expect = {
        # role: (sees every carrier reading residencies, changing them, changing a target; carriers of the dashboard)
        Role.ADMIN: (True, True, True, every),
        Role.OPERATOR: (True, True, True, every),
        Role.BUREAU: (True, False, True, every),  # reads everything, keeps the targets, writes no residency
        Role.PARK_STAFF: (False, False, False, {big_data.pk}),
        Role.EXPERT: (False, False, False, set()),
        Role.ENTERPRISE: (False, False, False, set()),
    }
    for role, (reads, changes, keeps_targets, dashboard) in expect.items():
        user = users[role]
        assert sees_every_carrier(user, "view", "incubation.residency") is reads, role
        assert sees_every_carrier(user, "change", "incubation.residency") is changes, role
        assert sees_every_carrier(user, "change", "targets.target") is keeps_targets, role
        assert set(carriers_in_scope(user, "view", "targets.dashboard").values_list("pk", flat=True)) == dashboard
        district, carriers = carrier_scope(user, "targets.dashboard")
        assert (district, set(carriers.values_list("pk", flat=True))) == (reads, dashboard), role
    park = users[Role.PARK_STAFF]
    assert carrier_lookup(park, "view", "incubation.residency", "carrier__") is not None
    assert carrier_lookup(users[Role.EXPERT], "view", "incubation.residency") is None


@pytest.mark.django_db
def test_a_user_with_no_role_sees_no_carrier(users):
    nobody = make_user("nobody")
    assert not sees_every_carrier(nobody, "view", "parks.carrier")
    assert not carriers_in_scope(nobody, "view", "targets.indicators").exists()


def _imported_modules(path: pathlib.Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return imported | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_the_enterprise_and_incubation_models_do_not_import_each_other():
    """Scope across the two apps follows relations (residencies__carrier__staff, enterprise__memberships__user),
    not a lazy import of the other app's models."""
    assert "incubation.models" not in _imported_modules(ROOT / "enterprises" / "models.py")
    assert "enterprises.models" not in _imported_modules(ROOT / "incubation" / "models.py")
