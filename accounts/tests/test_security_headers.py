"""Security headers of the portal's pages: a strict Content-Security-Policy (every asset is the portal's own), no
template needing an exception from it, and no cache keeping what a signed-in user was shown."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_send_a_strict_content_security_policy(client, client_for, users):
    for response in (client.get(reverse("accounts:login")), client_for(users[Role.OPERATOR]).get(reverse("home"))):
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_document_download_keeps_its_own_sandboxed_policy(client_for, users):
    from django.core.files.base import ContentFile

    from enterprises.models import Document
    from enterprises.tests.factories import EnterpriseMembershipFactory
    from incubation.tests.factories import PDF_BYTES

    enterprise = EnterpriseMembershipFactory(user=users[Role.ENTERPRISE]).enterprise
    document = Document(enterprise=enterprise, title="t", original_name="a.pdf", content_type="application/pdf",
                        size=len(PDF_BYTES), sha256="0" * 64)  # fmt: skip
    document.file.save("a.pdf", ContentFile(PDF_BYTES), save=True)

    response = client_for(users[Role.ENTERPRISE]).get(reverse("enterprises:document_download", args=[document.pk]))

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


# What a browser would refuse under the policy: an inline script (a json_script data block is not run), an event
# handler attribute, a style attribute or element. The compiled report is a standalone file, downloaded as an
# attachment and opened outside the portal, so its own <style> is no exception.
_INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
}
_STANDALONE = {"targets/templates/targets/reporting/report.html"}


def test_no_template_holds_what_the_policy_refuses():
    templates = [
        path
        for path in BASE_DIR.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and str(path.relative_to(BASE_DIR)) not in _STANDALONE
    ]
    assert len(templates) > 50
    found = [
        f"{path.relative_to(BASE_DIR)}: {what}"
        for path in templates
        for what, pattern in _INLINE.items()
        if pattern.search(path.read_text("utf-8"))
    ]
    assert found == []


def test_the_swagger_page_loads_its_start_up_script_as_a_file(client_for, users):
    html = client_for(users[Role.OPERATOR]).get(reverse("api-docs")).content.decode()

    assert not _INLINE["inline script"].search(html)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/enterprises/",
        "/accounts/audit/",
        "/accounts/notifications/",
        "/incubation/applications/",
        "/api/v1/enterprises/",
    ],
)
def test_what_a_signed_in_user_is_shown_is_never_cached(client_for, users, url):
    response = client_for(users[Role.OPERATOR]).get(url)

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_portal_has_a_favicon_of_its_own(client):
    html = client.get(reverse("accounts:login")).content.decode()

    for name in ("favicon.svg", "favicon.png"):
        assert f'href="/static/{name}"' in html
        assert (BASE_DIR / "static" / name).stat().st_size > 100
    assert client.get("/static/favicon.svg")["Content-Type"].startswith("image/svg")
    redirect = client.get("/favicon.ico")
    assert redirect.status_code in (301, 302) and redirect["Location"] == "/static/favicon.ico"
    assert (BASE_DIR / "static" / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"
