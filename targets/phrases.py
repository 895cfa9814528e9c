"""The texts targets stores to show later, each under a code (see accounts.phrasebook): what the bureau is told
about progress-report runs."""

from django.utils.translation import gettext_lazy as _

from accounts.phrasebook import define

RUN_READY_SUBJECT = define("report_run.ready.subject", _("Progress report ready: %(title)s"))
RUN_READY_BODY = define("report_run.ready.body", _("%(subtitle)s. Open it to download the HTML, PDF and XLSX files."))
RUN_FAILED_SUBJECT = define("report_run.failed.subject", _("Progress report failed: %(year)s, version %(version)s"))
