"""axe-core over every page the browser journeys visit: a page that has a critical or serious violation fails the
journey at that page.

axe (tests/browser/vendor/axe.min.js, see README.md there) is added to every document of a browser context as an
init script, which no Content-Security-Policy blocks. A document is audited before the first action that could
leave it (a click, a fill, a navigation, a screenshot…) and again after the page's content was swapped (htmx), so
the journeys need no calls of their own: every page they reach is checked in the state they see it."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Error, Locator, Page

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2.1 A and AA (what GB/T 37668-2019 asks of web content) and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = frozenset({"critical", "serious"})
# Pages that are not the portal's own: Swagger UI (drf-spectacular-sidecar), the API reference for developers, with
# its own colours and markup that the portal does not style.
EXEMPT_PATHS = ("/api/docs/",)

# Marks the document audited, and marks it again for an audit when nodes are added or removed after that.
WATCH_SCRIPT = """
(() => {
  window.__axeAudited = false;
  new MutationObserver((mutations) => {
    if (mutations.some((m) => m.type === "childList")) window.__axeAudited = false;
  }).observe(document, {childList: true, subtree: true});
})();
"""
AUDIT_SCRIPT = """
async (tags) => {
  if (typeof axe === "undefined" || document.contentType !== "text/html" || window.__axeAudited) return null;
  if (location.href === "about:blank" && !(document.body && document.body.childElementCount)) return null;
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  window.__axeAudited = true;
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}
"""
# The Page and Locator actions after which the page may no longer be the one the journey was looking at.
PAGE_ACTIONS = (
    "goto", "click", "dblclick", "fill", "press", "type", "select_option", "check", "uncheck", "set_input_files",
    "go_back", "go_forward", "reload", "dispatch_event", "tap", "screenshot", "set_content", "expect_navigation",
    "expect_download",
)  # fmt: skip
LOCATOR_ACTIONS = (
    "click", "dblclick", "fill", "press", "type", "press_sequentially", "select_option", "check", "uncheck",
    "set_checked", "set_input_files", "dispatch_event", "tap",
)  # fmt: skip


class AccessibilityViolation(AssertionError):
    pass


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} critical/serious violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node['target']}: {node['summary']}" for node in violation["nodes"])
    return "\n".join(lines)


def audit(page: Page) -> None:
    """Run axe on the page's current document unless it was audited as it is; raise on critical/serious."""
    if page.is_closed() or getattr(page, "_axe_auditing", False) or urlsplit(page.url).path in EXEMPT_PATHS:
        return
    page._axe_auditing = True
    try:
        violations = page.evaluate(AUDIT_SCRIPT, AXE_TAGS)
    except Error as error:
        # The document went away under the audit (a navigation the last action started): the next one is audited.
        if "context was destroyed" in str(error) or "navigat" in str(error) or "closed" in str(error):
            return
        raise
    finally:
        page._axe_auditing = False
    failing = [v for v in violations or [] if v["impact"] in FAILING_IMPACTS]
    if failing:
        raise AccessibilityViolation(format_violations(page.url, failing))


def audited_context(context: BrowserContext) -> BrowserContext:
    """`context` with axe and its watcher in every document it opens."""
    context.add_init_script(path=str(AXE_SCRIPT))
    context.add_init_script(script=WATCH_SCRIPT)
    return context


def _audit_first(method, page_of):
    @functools.wraps(method)
    def action(self, *args, **kwargs):
        audit(page_of(self))
        return method(self, *args, **kwargs)

    action.axe_audited = True
    return action


def install() -> None:
    """Audit the current document before each Page and Locator action (once per process)."""
    for cls, names, page_of in ((Page, PAGE_ACTIONS, lambda p: p), (Locator, LOCATOR_ACTIONS, lambda loc: loc.page)):
        for name in names:
            method = getattr(cls, name)
            if not getattr(method, "axe_audited", False):
                setattr(cls, name, _audit_first(method, page_of))
