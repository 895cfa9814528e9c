"""On a 320 px phone, with the menu closed and opened, no page is wider than the screen, and every target a finger
taps (a control, a sort header, a link that stands alone in a cell, a list row or a card) is at least 44 px tall:
the elderly-friendly sizing asked of government sites (WCAG 2.5.5). Links inside a sentence keep the line's height
(the standard's exception for inline targets). Tables scroll inside their own box, never the page."""

import pytest
from django.core.management import call_command

from conftest import ensure_reference_data
from demo.management.commands.seed_demo import DEMO_PASSWORD
from enterprises.models import EnterpriseMembership
from tests.browser.conftest import close_context, new_context
from tests.browser.journeys import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 320

# What a finger cannot hit, and what would widen the page: each an element's description, for the failure message.
MEASURE = """() => {
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`
    + ` "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
  const inSentence = (el) => [...el.parentElement.childNodes].some(
    (node) => node !== el && node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '');
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, select, input:not([type=hidden]), summary')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest('.visually-hidden-focusable')) continue;
    if (box.height >= 43.5 || (el.tagName === 'A' && inSentence(el))) continue;
    small.push(`${describe(el)} ${Math.round(box.height)} px`);
  }
  const root = document.documentElement;
  return {width: root.scrollWidth, viewport: root.clientWidth, small};
}"""


def seeded_demo() -> None:
    ensure_reference_data()  # a transactional test starts from an empty database
    call_command("seed_demo", force=True, enterprises=12)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def problems_on(page, live_server, path: str, name: str) -> list[str]:
    page.goto(f"{live_server.url}{path}")
    found = []
    for state in ("menu closed", "menu opened"):
        if state == "menu opened":
            page.click(".navbar-toggler")
            page.wait_for_selector("#portal-nav.show")
        shot(page, f"phone-{name}-{path.strip('/').replace('/', '-') or 'home'}-{state.split()[1]}")
        measured = page.evaluate(MEASURE)
        if measured["width"] > measured["viewport"]:
            found.append(f"{path} ({state}): the page is {measured['width']} px wide on a {PHONE} px screen")
        found += [f"{path} ({state}): {target} tall" for target in measured["small"]]
    return found


def walk(browser, live_server, username: str, locale: str, paths: list[str]) -> list[str]:
    context = new_context(browser, locale, width=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, username)
        return [problem for path in paths for problem in problems_on(page, live_server, path, f"{username}-{locale}")]
    finally:
        close_context(context, audit=False)


JOURNEYS = {
    # who, in which language, on which pages ({enterprise}: the demo enterprise user's own enterprise)
    "operating company, English": (
        "operator",
        "en-US",
        [
            "/",
            "/enterprises/",
            "/enterprises/{enterprise}/",
            "/incubation/tenants/",
            "/incubation/alerts/",
            "/incubation/applications/",
            "/incubation/rules/",
            "/enterprises/reports/",
            "/accounts/notifications/",
            "/parks/",
            "/targets/cultivation/",
            "/targets/rules/",
            "/targets/rules/tech_sme_evaluation/",
            "/targets/returns/",
        ],
    ),
    "enterprise, Chinese": (
        "enterprise",
        "zh-CN",
        [
            "/",
            "/enterprises/mine/",
            "/incubation/applications/",
            "/enterprises/reports/",
            "/enterprises/reports/new/",
            "/accounts/notifications/",
            "/targets/enterprises/{enterprise}/qualifications/",
        ],
    ),
    "bureau, English": (
        "bureau",
        "en-US",
        [
            "/",
            "/targets/",
            "/targets/indicators/",
            "/targets/plans/",
            "/targets/reports/",
            "/enterprises/",
            "/targets/returns/",
            "/targets/readiness/",
        ],
    ),
}


@pytest.mark.parametrize("journey", JOURNEYS)
def test_every_page_fits_a_phone(browser, live_server, journey):
    seeded_demo()
    username, locale, paths = JOURNEYS[journey]
    enterprise = EnterpriseMembership.objects.get(user__username="enterprise").enterprise

    problems = walk(browser, live_server, username, locale, [path.format(enterprise=enterprise.pk) for path in paths])

    assert problems == [], "\n".join(problems)
