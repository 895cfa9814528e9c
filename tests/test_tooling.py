"""The developer tooling agrees with itself: the pre-commit hooks run the versions pinned in requirements-dev.lock,
django-upgrade targets the Django of requirements.lock, the type stubs are those of that Django, and CI runs mypy
after ruff and before the tests. No tool is run here: these read the files."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pins(*names: str) -> dict[str, str]:
    """name (lower case, '_' as '-') -> exact version, from the lock files."""
    found = {}
    for name in names:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if match := re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip()):
                found[match[1].lower().replace("_", "-")] = match[2]
    return found


def hooks() -> dict[str, tuple[str, dict]]:
    """hook id -> (the rev of its repository, the hook's entry) from .pre-commit-config.yaml."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: (str(repo["rev"]), hook) for repo in config["repos"] for hook in repo["hooks"]}


def major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def test_the_pre_commit_hooks_run_the_locked_versions():
    locked, found = pins("requirements.lock", "requirements-dev.lock"), hooks()

    assert {"ruff-check", "ruff-format", "django-upgrade"} <= found.keys()
    assert found["ruff-check"][0] == found["ruff-format"][0] == f"v{locked['ruff']}"
    assert found["django-upgrade"][0] == locked["django-upgrade"]


def test_django_upgrade_targets_the_locked_django():
    locked = pins("requirements.lock")
    args = hooks()["django-upgrade"][1]["args"]

    assert args[args.index("--target-version") + 1] == major_minor(locked["django"])


def test_the_type_stubs_are_those_of_the_locked_django_and_mypy_checks_services_selectors_and_workflows():
    locked = pins("requirements.lock", "requirements-dev.lock")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]

    assert major_minor(locked["django-stubs"]) == major_minor(locked["django"])
    assert {"mypy", "djangorestframework-stubs", "django-stubs-ext"} <= locked.keys()
    assert {"mypy_django_plugin.main", "mypy_drf_plugin.main"} <= set(config["plugins"])
    skip = re.compile(config["exclude"][0])
    checked = [
        "accounts/services.py",
        "targets/selectors.py",
        "targets/selectors/",
        "targets/selectors/sql.py",
        "incubation/workflow.py",
        "enterprises/report_workflow.py",
        "workflows/",
        "workflows/engine.py",
    ]
    assert [path for path in checked if skip.search(path)] == []
    skipped = ["accounts/views.py", "accounts/tests/", "dev.py", ".venv/", "accounts/services_old/", "a/b/services.py"]
    assert [path for path in skipped if not skip.search(path)] == []


def test_no_module_of_the_typed_layer_is_exempt_from_mypy():
    overrides = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"].get(
        "overrides", []
    )
    exempt = [override["module"] for override in overrides if override.get("ignore_errors")]
    assert exempt == []


def test_ci_runs_mypy_after_ruff_and_before_the_tests():
    steps = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

    assert steps.index(".venv/bin/ruff format --check .") < steps.index(".venv/bin/mypy") < steps.index("dev.py test")
    assert "typecheck:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_ruff_limits_the_complexity_of_a_function_to_12():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]

    assert "C90" in lint["select"]
    assert lint["mccabe"]["max-complexity"] == 12
