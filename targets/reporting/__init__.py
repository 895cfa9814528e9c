"""The yearly progress report: a frozen snapshot and its renderers; the report runs that compile it in Celery
(services, tasks, pages: docs/reports.md).

A ReportRun's snapshot is one JSON-serialisable dict, frozen when compiled. Every renderer reads ONLY the snapshot,
never the database, so a run renders the same files forever. All human-readable text in it is already translated
into the run's language. Its shape (schema 1; `targets.reporting.sample.SAMPLE_SNAPSHOT` is a complete example):

    {
        "schema": 1,
        "language": "zh-hans" | "en",
        "title": str, "subtitle": str,          # subtitle: scope, as-of date and version, in words
        "year": int, "kind": "yearly" | "interim", "as_of": "YYYY-MM-DD",
        "scope": {"carrier_id": int | None, "name": str},
        "version": int, "compiled_at": ISO datetime,
        "meta": [[label, value], ...],
        "sections": [                           # keys, in order: targets, carriers, contributors, pipeline,
            {                                   #   accreditation, prior_year
                "key": str, "title": str,
                "paragraphs": [str, ...],       # optional
                "columns": [str, ...],
                "numeric": [bool, ...],         # per column: right-aligned, a number cell in XLSX
                "rows": [[str | int | float | None, ...], ...],   # None = empty; numbers already rounded
                "chart": {                      # optional; the same numbers as the table
                    "type": "bar" | "line", "title": str, "labels": [str, ...],
                    "series": [{"name": str, "values": [number | None, ...]}, ...],
                },
            },
        ],
    }

Renderers: `render_html.render_html(snapshot) -> str`, `render_pdf.render_pdf(snapshot) -> bytes` (A4, with the
embedded Noto Sans SC subset in `fonts/`), `render_xlsx.render_xlsx(snapshot) -> bytes` (one sheet per section).
"""

SECTION_KEYS = ("targets", "carriers", "contributors", "pipeline", "accreditation", "prior_year")
