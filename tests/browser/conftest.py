"""Browser journeys in headless Chromium (Debian's package), driven by Playwright. Screenshots of every page
visited go to test-artifacts/screenshots/ so a person can look at what users see, and axe-core audits every page
(tests/browser/axe.py): a critical or serious accessibility violation fails the journey."""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium on this machine: apt-get install chromium to run the browser journeys")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            axe.install()
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def new_context(browser, locale: str = "zh-CN", width: int = 1366):
    """A browser context as the journeys use it: a laptop's window, the language asked for, axe in every page."""
    return axe.audited_context(browser.new_context(viewport={"width": width, "height": 900}, locale=locale))


def close_context(context, *, audit: bool = True) -> None:
    """Audit the pages still open (the last page of a journey has no action after it), then close the context.
    A journey that already failed is not audited again: its own error is the one to read."""
    try:
        for open_page in context.pages if audit else ():
            axe.audit(open_page)
    finally:
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.journey_failed = True
    return report


@pytest.fixture
def page(browser, request):
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Whatever the Content-Security-Policy refused on any page of the journey fails it: a refused script or style
    # is a page that does not work as it should.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    close_context(context, audit=not getattr(request.node, "journey_failed", False))
    assert refused == [], "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
