// Behaviour the templates declare with data attributes, so that no page needs an inline script or event handler
// (the Content-Security-Policy allows scripts from the portal's own static files only).
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option submits its form (the language switcher).
  document.addEventListener("change", function (event) {
    var control = event.target.closest && event.target.closest("[data-submit-on-change]");
    if (control && control.form) {
      control.form.submit();
    }
  });

  // <form data-disable-on-submit>: its submit buttons are disabled once it is sent, so a second click sends nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-disable-on-submit")) {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }
  });

  // <div data-progress="42">: a progress bar's width, set here (a style attribute would need 'unsafe-inline'),
  // on the first load and on every fragment htmx swaps in (a report run's status polls).
  function showProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
  }
  showProgress(document);
  document.addEventListener("htmx:load", function (event) {
    showProgress(document);
  });
})();

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
