"""The deployment files (Dockerfile, docker-compose.yml, .env.example) agree with the settings; no Docker needed.

No test builds an image or starts a container. They read the files, compare them with the environment variables
the code reads (found by parsing config/ and dev.py), and run the production settings, the WSGI application, the
Celery app, collectstatic and `check --deploy` in subprocesses, with the environment the containers would have.
"""

import ast
import json
import operator
import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import environ
import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_DIR = ROOT / "config" / "settings"

SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
# Selects the settings module; Django reads it before any settings file, so no settings file names it.
SETTINGS_SELECTOR = "DJANGO_SETTINGS_MODULE"
# Variables the production settings fall back to the embedded servers for: meaningless in a container.
REQUIRED_IN_CONTAINERS = {"DATABASE_URL", "REDIS_URL"}
# What an operator puts into .env before `docker compose up` (the rest has defaults).
OPERATOR_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "POSTGRES_PASSWORD": "Pg5ecretForTests",
    "EMAIL_URL": "smtp+tls://portal:mailsecret@smtp.example.gov.cn:587",
}


# --- Which environment variables the code reads -------------------------------------------------------------------


class EnvRead:
    """One read of an environment variable: env("X"), env.int("X", default=…), os.environ.get("X"), …"""

    def __init__(self, name: str, method: str, default: ast.expr | None) -> None:
        self.name, self.method, self.default = name, method, default


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _call_method(func: ast.expr) -> str | None:
    """The django-environ method ("str" for env(…), "bool" for env.bool(…), …), "os" for os.environ.get/getenv."""
    if isinstance(func, ast.Name) and func.id == "env":
        return "str"
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id == "env":
            return func.attr
        if func.attr == "get" and _is_os_environ(func.value):
            return "os"
        if func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
            return "os"
    return None


def env_reads(path: Path) -> list[EnvRead]:
    reads = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and (method := _call_method(node.func)):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                default = next((kw.value for kw in node.keywords if kw.arg == "default"), None)
                if default is None and len(node.args) > 1:
                    default = node.args[1]
                reads.append(EnvRead(node.args[0].value, method, default))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_os_environ(node.value):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                reads.append(EnvRead(node.slice.value, "os", None))
    return reads


@cache
def settings_variables() -> frozenset[str]:
    """Every variable a settings module (config/settings/*.py) reads."""
    return frozenset(read.name for path in SETTINGS_DIR.glob("*.py") for read in env_reads(path))


@cache
def runtime_variables() -> frozenset[str]:
    """Every variable the portal's own code reads: the settings, the embedded servers (config/) and dev.py."""
    paths = [path for path in (ROOT / "config").rglob("*.py") if "tests" not in path.parts] + [ROOT / "dev.py"]
    return frozenset(read.name for path in paths for read in env_reads(path))


def production_reads() -> dict[str, EnvRead]:
    """The read in effect under config.settings.production: its own, else base.py's."""
    effective: dict[str, EnvRead] = {}
    for module in ("base.py", "production.py"):
        effective.update({read.name: read for read in env_reads(SETTINGS_DIR / module) if read.method != "os"})
    return effective


def test_the_variable_scan_finds_the_known_reads():
    # Guards the parser above: if it found nothing, every comparison below would pass vacuously.
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT"} <= settings_variables()
    assert {"EMBEDDED_VAR_DIR", "EMBEDDED_REDIS_PORT", "PORTAL_ADDRESS", "PORTAL_VENV"} <= runtime_variables()
    without_default = {name for name, read in production_reads().items() if read.default is None}
    assert without_default == {"SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"}


# --- docker-compose.yml, and Compose's ${…} interpolation -----------------------------------------------------------

_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(Exception):
    pass


def interpolate(value: Any, environment: Mapping[str, str]) -> Any:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error} and $$, on a whole tree."""
    if isinstance(value, dict):
        return {key: interpolate(item, environment) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, environment) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name, op, arg = match["braced"] or match["named"], match["op"] or "", match["arg"]
        current = environment.get(name)
        missing = current is None or (current == "" and op.startswith(":"))
        if op.endswith("-"):
            return arg if missing else current
        if op.endswith("?"):
            if missing:
                raise MissingVariable(f"{name}: {arg}")
            return current
        return current or ""

    return _INTERPOLATION.sub(replace, value)


def referenced_variables(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(referenced_variables(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(referenced_variables(item) for item in value))
    if not isinstance(value, str):
        return set()
    return {match["braced"] or match["named"] for match in _INTERPOLATION.finditer(value) if not match["escaped"]}


@cache
def compose_source() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose(environment: Mapping[str, str] = OPERATOR_ENV) -> dict:
    """docker-compose.yml as `docker compose config` would resolve it with `environment` as .env."""
    return interpolate(compose_source(), environment)


def app_environment(environment: Mapping[str, str] = OPERATOR_ENV) -> dict[str, str]:
    return {key: str(value) for key, value in compose(environment)["services"]["web"]["environment"].items()}


def variables_with_required_marker() -> set[str]:
    return {
        match["braced"]
        for match in _INTERPOLATION.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))
        if match["op"] in (":?", "?")
    }


def volume_mounts(service: str) -> dict[str, str]:
    """target path -> named volume, for a service's `volumes` in short syntax."""
    mounts = {}
    for entry in compose()["services"][service].get("volumes", []):
        source, target = entry.split(":")[:2]
        mounts[target] = source
    return mounts


def is_within(path: str, directory: str) -> bool:
    return PurePosixPath(directory) in PurePosixPath(path).parents


# (a) Services, health checks and start order.


def test_compose_defines_exactly_the_five_services_each_with_a_healthcheck():
    services = compose()["services"]

    assert set(services) == SERVICES
    for name, service in services.items():
        healthcheck = service.get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} has no healthcheck"
        assert healthcheck["test"][0] in ("CMD", "CMD-SHELL"), name
        assert not healthcheck.get("disable"), name


def test_app_services_start_once_postgres_and_redis_are_healthy():
    services = compose()["services"]

    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name
    for name in ("postgres", "redis"):
        assert "depends_on" not in services[name]


def test_app_services_share_one_image_and_one_environment():
    services = compose()["services"]
    web = services["web"]

    assert web["build"] == "."
    for name in ("worker", "beat"):
        assert services[name]["build"] == web["build"]
        assert services[name]["image"] == web["image"]
        assert services[name]["environment"] == web["environment"], f"{name} must use the x-app environment"
    assert all(services[name]["restart"] == "unless-stopped" for name in SERVICES)


def test_backing_services_and_their_healthchecks():
    services = compose()["services"]

    assert services["postgres"]["image"] == "postgres:15"
    assert volume_mounts("postgres") == {"/var/lib/postgresql/data": "pgdata"}
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]

    assert services["redis"]["image"] == "redis:7"
    assert volume_mounts("redis") == {"/data": "redisdata"}
    assert services["redis"]["command"][-2:] == ["--appendonly", "yes"]
    assert "redis-cli ping" in services["redis"]["healthcheck"]["test"][1]

    assert set(compose()["volumes"]) == {"pgdata", "redisdata", "media", "beat"}
    # Nothing but the web server is published, and by default only to the host itself (a reverse proxy in front).
    assert [name for name in SERVICES if services[name].get("ports")] == ["web"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_app_healthchecks_probe_the_app_itself():
    services = compose()["services"]

    web_probe = services["web"]["healthcheck"]["test"]
    assert web_probe[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in web_probe[3]
    assert "ALLOWED_HOSTS" in web_probe[3], "without an allowed Host header Django answers 400"
    compile(web_probe[3], "web healthcheck", "exec")

    worker_probe = services["worker"]["healthcheck"]["test"]
    assert worker_probe[0] == "CMD-SHELL"
    assert worker_probe[1].startswith("celery -A config inspect ping -d celery@$HOSTNAME ")

    beat_probe = services["beat"]["healthcheck"]["test"]
    assert beat_probe[:3] == ["CMD", "python", "-c"]
    assert "CELERY_BEAT_SCHEDULE_FILENAME" in beat_probe[3]
    compile(beat_probe[3], "beat healthcheck", "exec")


def healthcheck_script(service: str) -> str:
    return compose()["services"][service]["healthcheck"]["test"][3]


@pytest.mark.django_db(transaction=True)
def test_the_web_healthcheck_passes_with_database_and_redis_and_needs_an_allowed_host(live_server):
    script = healthcheck_script("web").replace("http://127.0.0.1:8000", live_server.url)
    host = urlsplit(live_server.url).hostname

    # Whether or not a worker answers (/healthz: 200 or 503), the database and Redis are up.
    healthy = run_python(["-c", script], {**os.environ, "ALLOWED_HOSTS": f" {host} ,other.example.gov.cn"})
    assert healthy.returncode == 0, healthy.stderr
    # The first allowed name is the Host sent; one the server does not allow gets a 400, not JSON.
    refused = run_python(["-c", script], {**os.environ, "ALLOWED_HOSTS": ".example.gov.cn," + host})
    assert refused.returncode == 1
    assert "JSONDecodeError" in refused.stderr


def test_the_beat_healthcheck_wants_the_schedule_file_and_the_broker(tmp_path, settings):
    schedule = tmp_path / "celerybeat-schedule"
    environment = {**os.environ, "CELERY_BEAT_SCHEDULE_FILENAME": str(schedule), "REDIS_URL": settings.REDIS_URL}

    assert run_python(["-c", healthcheck_script("beat")], environment).returncode == 1
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"")  # the dbm module picks the suffix
    assert run_python(["-c", healthcheck_script("beat")], environment).returncode == 0
    unreachable = {**environment, "REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens on port 1
    assert run_python(["-c", healthcheck_script("beat")], unreachable).returncode == 1


def test_uploads_and_the_beat_schedule_live_in_volumes():
    env = app_environment()

    for name in ("web", "worker"):
        assert volume_mounts(name).get(env["MEDIA_ROOT"]) == "media", name
    beat_directory = str(PurePosixPath(env["CELERY_BEAT_SCHEDULE_FILENAME"]).parent)
    assert volume_mounts("beat").get(beat_directory) == "beat"
    assert not is_within(env["STATIC_ROOT"], env["MEDIA_ROOT"])
    # Static files come from the image: a volume over STATIC_ROOT would hide them.
    for name in APP_SERVICES:
        assert not any(is_within(env["STATIC_ROOT"] + "/x", target) for target in volume_mounts(name)), name


# (b) The environment the app containers get.


def test_compose_passes_only_variables_the_settings_read():
    passed = set(app_environment())

    unknown = passed - settings_variables() - {SETTINGS_SELECTOR}
    assert not unknown, f"docker-compose.yml passes variables no settings module reads: {sorted(unknown)}"
    assert app_environment()[SETTINGS_SELECTOR] == "config.settings.production"


def test_compose_sets_every_variable_production_requires():
    required = {name for name, read in production_reads().items() if read.default is None} | REQUIRED_IN_CONTAINERS

    assert required <= set(app_environment())
    for name in required:
        assert app_environment()[name], name


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "EMAIL_URL"])
def test_compose_refuses_to_start_without_a_secret(name):
    assert name in variables_with_required_marker()
    with pytest.raises(MissingVariable, match=name):
        compose({key: value for key, value in OPERATOR_ENV.items() if key != name})
    with pytest.raises(MissingVariable, match=name):
        compose({**OPERATOR_ENV, name: ""})


def test_database_and_redis_urls_point_at_the_compose_services():
    env = app_environment()
    postgres = compose()["services"]["postgres"]["environment"]

    database = urlsplit(env["DATABASE_URL"])
    assert (database.scheme, database.hostname, database.port) == ("postgres", "postgres", 5432)
    assert database.username == postgres["POSTGRES_USER"]
    assert database.password == postgres["POSTGRES_PASSWORD"] == OPERATOR_ENV["POSTGRES_PASSWORD"]
    assert database.path == f"/{postgres['POSTGRES_DB']}"

    redis = urlsplit(env["REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)

    # An operator's own user and database names reach both sides.
    custom = app_environment({**OPERATOR_ENV, "POSTGRES_USER": "portal", "POSTGRES_DB": "incubation"})
    assert urlsplit(custom["DATABASE_URL"]).username == "portal"
    assert urlsplit(custom["DATABASE_URL"]).path == "/incubation"


_ARITHMETIC = {ast.Mult: operator.mul, ast.Add: operator.add, ast.Sub: operator.sub}
_NOT_LITERAL = object()


def literal_value(node: ast.expr) -> Any:
    """The value of a literal default such as 60, "INFO", True or 30 * 60; _NOT_LITERAL for paths, calls, …"""
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = literal_value(node.left), literal_value(node.right)
        if isinstance(left, int | float) and isinstance(right, int | float):
            return _ARITHMETIC[type(node.op)](left, right)
        return _NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except ValueError:
        return _NOT_LITERAL


_CASTS = {"bool": bool, "int": int, "float": float, "list": list}
# Defaults that differ in a container on purpose, with the reason.
CONTAINER_DEFAULTS = {
    "TRUSTED_PROXY_COUNT": "web is published on the host's loopback only: one reverse proxy stands in front of it",
}


def test_compose_defaults_match_the_settings_defaults():
    """A variable left out of .env means the same thing in a container as on any other machine."""
    reads = production_reads()
    compared = []
    for key, value in compose_source()["x-app"]["environment"].items():
        match = _INTERPOLATION.fullmatch(str(value))
        if not match or match["op"] not in (":-", "-"):
            continue  # a fixed value or a required one
        assert match["braced"] == key, f"{key} is read from ${{{match['braced']}}}: use the same name"
        if key in CONTAINER_DEFAULTS:
            continue
        read = reads.get(key)  # (a variable no settings module reads fails the test above)
        if read is None or read.default is None or (settings_default := literal_value(read.default)) is _NOT_LITERAL:
            continue
        cast = _CASTS.get(read.method, str)
        assert environ.Env.parse_value(match["arg"], cast) == settings_default, key
        compared.append(key)
    assert len(compared) >= 10, compared


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any variable the portal reads, plus `variables`."""
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it while Playwright runs; a server never has it.
    ignored = runtime_variables() | {SETTINGS_SELECTOR, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**{key: value for key, value in os.environ.items() if key not in ignored}, **variables}


def run_python(args: list[str], environment: Mapping[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args], cwd=ROOT, env=dict(environment), capture_output=True, text=True, timeout=300
    )


_LOAD_AS_A_CONTAINER = """
import json
from celery.app.utils import find_app
from django.conf import settings
from config.wsgi import application

celery_app = find_app("config")
database = settings.DATABASES["default"]
print(json.dumps({
    "wsgi": type(application).__name__,
    "celery_main": celery_app.main,
    "broker": celery_app.conf.broker_url,
    "beat_schedule": celery_app.conf.beat_schedule_filename,
    "hijacks_root_logger": celery_app.conf.worker_hijack_root_logger,
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "database": [database["HOST"], database["PORT"], database["NAME"], database["USER"]],
    "cache": settings.CACHES["default"]["LOCATION"],
    "static_root": str(settings.STATIC_ROOT),
    "media_root": str(settings.MEDIA_ROOT),
}))
"""


def test_the_compose_environment_loads_the_production_settings_wsgi_app_and_celery_app():
    env = app_environment()
    result = run_python(["-c", _LOAD_AS_A_CONTAINER], clean_environment(**env))
    assert result.returncode == 0, result.stderr

    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["wsgi"] == "WSGIHandler"
    assert loaded["celery_main"] == "linzi"
    assert loaded["broker"] == env["REDIS_URL"]
    assert loaded["cache"] == env["CACHE_URL"] != env["REDIS_URL"], "the cache has its own Redis database"
    assert loaded["beat_schedule"] == env["CELERY_BEAT_SCHEDULE_FILENAME"]
    assert loaded["hijacks_root_logger"] is False, "worker and beat logs would not be JSON"
    assert loaded["debug"] is False
    assert loaded["ssl_redirect"] is True
    assert loaded["allowed_hosts"] == ["portal.example.gov.cn"]
    assert loaded["database"] == ["postgres", 5432, "linzi", "linzi"]
    assert (loaded["static_root"], loaded["media_root"]) == (env["STATIC_ROOT"], env["MEDIA_ROOT"])


# (c) .env.example.

_ENV_EXAMPLE_ENTRY = re.compile(r"^(?P<commented>#?)(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def env_example_entries() -> dict[str, tuple[bool, str]]:
    """name -> (set, the comment line above it). "#NAME=value" is documented but commented out."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    entries: dict[str, tuple[bool, str]] = {}
    for number, line in enumerate(lines):
        if match := _ENV_EXAMPLE_ENTRY.match(line):
            assert match["name"] not in entries, f"{match['name']} is documented twice"
            entries[match["name"]] = (not match["commented"], lines[number - 1] if number else "")
    return entries


def test_env_example_documents_every_variable_read_and_no_other():
    documented = set(env_example_entries())
    expected = runtime_variables() | referenced_variables(compose_source())

    assert not expected - documented, f"missing from .env.example: {sorted(expected - documented)}"
    assert not documented - expected, f"read by nothing: {sorted(documented - expected)}"


def test_every_env_example_entry_has_a_one_line_comment_with_its_default():
    for name, (_, comment) in env_example_entries().items():
        assert comment.startswith("# ") and not comment.startswith("# ---"), f"{name} has no comment line above it"
        assert "default" in comment.lower(), f"the comment on {name} does not give its default"


def test_env_example_sets_only_what_compose_requires():
    """`cp .env.example .env` changes nothing else, and compose names what is still to be filled in."""
    entries = env_example_entries()

    assert {name for name, (is_set, _) in entries.items() if is_set} == variables_with_required_marker()
    parsed = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if (match := _ENV_EXAMPLE_ENTRY.match(line)) and not match["commented"]:
            parsed[match["name"]] = match["value"]
    assert set(parsed.values()) == {""}, "no secret belongs in .env.example"


# (d) The Dockerfile, and the modules the commands name.


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    instructions, pending = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        instructions.append((keyword.upper(), " ".join(rest.split())))
        pending = ""
    return instructions


def instruction_arguments(keyword: str) -> list[str]:
    return [rest for name, rest in dockerfile_instructions() if name == keyword]


def dockerfile_variables(keyword: str) -> dict[str, str]:
    """ARG or ENV NAME=value pairs."""
    variables = {}
    for rest in instruction_arguments(keyword):
        for pair in shlex.split(rest):
            name, _, value = pair.partition("=")
            variables[name] = value
    return variables


def is_collectstatic(keyword: str, rest: str) -> bool:
    return keyword == "RUN" and "manage.py collectstatic" in rest


def test_dockerfile_builds_on_python_311_slim_like_pyproject():
    assert instruction_arguments("FROM") == ["python:3.11-slim"]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert "3.11" in SpecifierSet(requires)


def test_dockerfile_installs_the_lock_file_and_runs_as_a_user_without_privileges():
    keywords = [name for name, _ in dockerfile_instructions()]
    runs = instruction_arguments("RUN")

    assert "COPY requirements.lock ./" in [f"{name} {rest}" for name, rest in dockerfile_instructions()]
    assert any("pip install --no-cache-dir -r requirements.lock" in run for run in runs)
    users = instruction_arguments("USER")
    assert users and users[-1] not in ("root", "0")
    assert any("useradd" in run and users[-1] in run for run in runs)
    assert keywords.index("USER") < keywords.index("CMD")
    assert instruction_arguments("EXPOSE") == ["8000"]


def test_dockerfile_collects_static_files_with_the_production_settings_and_placeholder_arguments():
    keywords = [name for name, _ in dockerfile_instructions()]
    collect = next(
        index for index, instruction in enumerate(dockerfile_instructions()) if is_collectstatic(*instruction)
    )
    command = dockerfile_instructions()[collect][1]

    assert "DJANGO_SETTINGS_MODULE=config.settings.production python manage.py collectstatic --no-input" in command
    build_args = dockerfile_variables("ARG")
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= set(build_args)
    assert all(build_args.values()), "each build argument needs a placeholder value"
    assert max(index for index, name in enumerate(keywords) if name == "ARG") < collect
    # The placeholders stay build arguments: none of them becomes part of the image's environment.
    assert not set(build_args) & set(dockerfile_variables("ENV"))


def test_image_paths_match_the_compose_environment():
    image_env = dockerfile_variables("ENV")
    env = app_environment()
    collect = next(rest for name, rest in dockerfile_instructions() if is_collectstatic(name, rest))
    user = instruction_arguments("USER")[-1]

    assert image_env[SETTINGS_SELECTOR] == env[SETTINGS_SELECTOR]
    for name in ("STATIC_ROOT", "MEDIA_ROOT", "CELERY_BEAT_SCHEDULE_FILENAME"):
        assert image_env[name] == env[name], name
    # The volumes' mount points exist in the image and belong to the app user (a new volume copies both); the
    # collected static files stay root's.
    steps = {step.split()[0]: step.split()[1:] for step in collect.split("&&")}
    for directory in (env["MEDIA_ROOT"], str(PurePosixPath(env["CELERY_BEAT_SCHEDULE_FILENAME"]).parent)):
        assert directory in steps["mkdir"], directory
        assert directory in steps["chown"], directory
    assert steps["chown"][0] == f"{user}:{user}"
    assert not any(is_within(env["STATIC_ROOT"] + "/x", path) for path in steps["chown"][1:])


def test_the_web_command_migrates_then_serves_what_the_image_serves():
    web = compose()["services"]["web"]
    image_command = json.loads(instruction_arguments("CMD")[0])

    assert image_command[:2] == ["gunicorn", "config.wsgi:application"]
    assert image_command[image_command.index("--bind") + 1] == "0.0.0.0:8000"  # noqa: S104 (inside the container)
    assert web["command"][:2] == ["sh", "-c"]
    migrate, serve = web["command"][2].split("&&")
    assert shlex.split(migrate) == ["python", "manage.py", "migrate", "--no-input"]
    assert shlex.split(serve) == ["exec", *image_command]
    assert web["ports"][0].endswith(":8000")


def test_celery_commands_name_the_config_app():
    services = compose()["services"]

    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    # `-A config` resolves to the portal's Celery app (checked by loading it with the compose environment above).
    from celery import Celery
    from celery.app.utils import find_app

    assert isinstance(find_app("config"), Celery)


def test_the_build_time_collectstatic_runs_with_the_placeholder_arguments(tmp_path):
    build_env = {**dockerfile_variables("ARG"), **dockerfile_variables("ENV"), "STATIC_ROOT": str(tmp_path)}

    result = run_python(["manage.py", "collectstatic", "--no-input", "-v", "0"], clean_environment(**build_env))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists(), "WhiteNoise's manifest is missing"


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    patterns = {line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and line[0] != "#"}

    assert {".venv", "var", ".git", "test-artifacts", ".env"} <= patterns
    assert "**/__pycache__" in patterns or "__pycache__" in patterns
    for needed in ("requirements.lock", "manage.py", "config", "static", "templates", "locale"):
        assert needed not in patterns, needed


# (e) Django's deployment checks.


def deploy_environment(source: str) -> dict[str, str]:
    if source == "compose":
        return clean_environment(**app_environment())
    from django.conf import settings

    from config import embedded

    return clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.gov.cn",
        EMAIL_URL="smtp://smtp.example.gov.cn:25",
        DATABASE_URL=os.environ.get("DATABASE_URL") or embedded.postgres_url(),
        REDIS_URL=os.environ.get("REDIS_URL") or settings.REDIS_URL,
    )


@pytest.mark.parametrize("source", ["minimal", "compose"])
def test_check_deploy_reports_no_issues(source):
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], deploy_environment(source))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    from django.conf import settings

    silenced = len(settings.SILENCED_SYSTEM_CHECKS)  # each silenced check says why in the settings
    assert result.stdout.strip() == f"System check identified no issues ({silenced} silenced).", output
    assert "warning" not in result.stderr.lower(), output


def test_check_deploy_does_report_an_insecure_setting():
    # The check above is live: turning the https redirect off (the operator's choice behind a plain http proxy) warns.
    environment = {**deploy_environment("minimal"), "SECURE_SSL_REDIRECT": "false"}

    result = run_python(["manage.py", "check", "--deploy"], environment)

    assert "security.W008" in result.stdout + result.stderr
