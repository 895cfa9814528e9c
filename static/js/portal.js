// What every page shares: after a failed submit the focus goes to the form's error summary, so a screen reader
// reads it and a keyboard user starts from it (the summary links to the fields in error).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".form-error-summary");
  if (summary) summary.focus();
});

// A box that scrolls (a table wider than the screen in its .table-responsive, a long timeline) joins the Tab order,
// so that a keyboard can scroll it too (WCAG 2.1.1).
function markScrollableBoxes() {
  for (const box of document.querySelectorAll("main *")) {
    const style = getComputedStyle(box);
    const scrolls = (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth)
      || (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight);
    if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
  }
}
document.addEventListener("DOMContentLoaded", markScrollableBoxes);
window.addEventListener("resize", markScrollableBoxes);
document.addEventListener("htmx:afterSettle", markScrollableBoxes);
