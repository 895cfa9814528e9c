"""What the application journeys share: a second browser session per user, numbered screenshots from any of them,
a small but real PDF to upload, and an applicant with an enterprise ready to apply."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from enterprises.models import Enterprise, EnterpriseMembership
from parks.models import FocusField
from tests.browser.conftest import SCREENSHOTS, close_context, new_context
from tests.browser.test_structure_journey import sign_in

APPLICANT_NAME = "淄博云翔数据科技有限公司"


def shot(page, name: str) -> Path:
    """A full-page screenshot, as the `screenshot` fixture takes, of any session's page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def session(browser, live_server, username: str, locale: str = "zh-CN") -> Iterator:
    """A fresh browser context signed in as `username` (its own cookies: several people at once)."""
    context = new_context(browser, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    failed = True
    try:
        sign_in(page, live_server, username)
        yield page
        failed = False
    finally:
        close_context(context, audit=not failed)


def real_pdf(directory: Path, name: str = "商业计划书.pdf") -> Path:
    """A one-page PDF any reader opens (catalog, page tree, page, content stream, font, cross-reference table)."""
    stream = b"BT /F1 24 Tf 72 760 Td (Business plan: industrial data platform) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    content = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    content += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = directory / name
    path.write_bytes(bytes(content))
    return path


def applicant_enterprise(user, *, name: str = APPLICANT_NAME, field: str = "云计算") -> Enterprise:
    """A cloud-computing company registered 20 months ago (young enough for the incubator), with a contact
    person, that `user` acts for."""
    from enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(
        name=name,
        registered_on=timezone.localdate() - relativedelta(months=20),
        industry_field=FocusField.objects.get(name=field, parent__isnull=False),
        contact_name="王经理",
        contact_phone="13905330001",
    )
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    return enterprise


def months_ago(months: int) -> str:
    return (timezone.localdate() - relativedelta(months=months)).isoformat()


def csrf_post(page, url: str, data: dict | None = None):
    """POST from the signed-in session with its CSRF token, as a crafted form would: a 403 then comes from the
    portal's permissions, not from a missing token."""
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    return page.request.post(
        url, form={"csrfmiddlewaretoken": token, **(data or {})}, headers={"Referer": url}, max_redirects=0
    )
