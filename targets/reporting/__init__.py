"""Progress reports (年度报告): compiling a frozen snapshot from the indicator selectors, rendering it to files, and the
report runs that do both in Celery (docs/reports.md)."""
