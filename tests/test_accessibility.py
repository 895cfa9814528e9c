"""What the shared templates promise screen readers and keyboards (GB/T 37668-2019, WCAG 2.1 AA), checked on the
server's HTML; tests/browser/ runs axe-core over every page the journeys visit."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, in document order; the tags open at each one."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}, tuple(self._open)))
        if tag not in {"input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"}:
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def ids(self) -> Counter:
        return Counter(attrs["id"] for _, attrs, _ in self.tags if attrs.get("id"))


def test_a_failed_form_names_its_errors_and_help_by_the_ids_its_fields_point_at(client):
    page = Elements(client.post(reverse("accounts:sign_up"), {}).content.decode())
    ids = page.ids()
    described = " ".join(attrs.get("aria-describedby", "") for _, attrs, _ in page.tags).split()
    assert "id_name_error" in described  # the empty sign-up has field errors
    assert "id_password_helptext" in described  # and help (the password rules)
    for reference in described:
        assert ids[reference] == 1, f"aria-describedby names {reference}, which the page does not hold once"
    # The error summary can take the focus (static/js/portal.js moves it there) and links to the fields in error.
    summary = next(attrs for tag, attrs, _ in page.tags if "form-error-summary" in attrs.get("class", ""))
    assert summary["tabindex"] == "-1" and summary["role"] == "alert"
    links = [attrs["href"] for tag, attrs, within in page.tags if tag == "a" and "alert-link" in attrs.get("class", "")]
    assert links and all(ids[href.removeprefix("#")] == 1 for href in links)


def test_every_page_starts_with_a_skip_link_to_the_main_content(client):
    page = Elements(client.get(reverse("accounts:login")).content.decode())
    first_link = next(attrs for tag, attrs, within in page.tags if tag == "a" and "body" in within)
    assert first_link["href"] == "#main" and "skip-link" in first_link["class"]
    main = next(attrs for tag, attrs, _ in page.tags if tag == "main")
    assert main["id"] == "main" and main["tabindex"] == "-1"
    assert 'src="/static/js/portal.js"' in client.get(reverse("accounts:login")).content.decode()


def test_the_report_run_trigger_and_the_filter_label_controls_of_their_own(client_for, users):
    page = Elements(client_for(users[Role.OPERATOR]).get(reverse("targets:report_runs")).content.decode())
    ids = page.ids()
    assert ids["id_year"] == 1 and ids["id_trigger_year"] == 1 and ids["id_trigger_kind"] == 1
    assert [i for i, n in ids.items() if n > 1] == []
    for_ids = [attrs["for"] for tag, attrs, _ in page.tags if tag == "label" and attrs.get("for")]
    assert "id_trigger_year" in for_ids and "id_trigger_kind" in for_ids
    assert all(ids[i] == 1 for i in for_ids)


def test_html_is_compressed_for_browsers_that_accept_gzip(client):
    response = client.get(reverse("accounts:login"), headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    plain = client.get(reverse("accounts:login"))
    assert not plain.has_header("Content-Encoding")
