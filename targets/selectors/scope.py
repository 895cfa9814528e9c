"""Who sees which figures."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import carrier_scope
from parks.models import Carrier

# ---------------------------------------------------------------------------------------------------------------
# Who sees which figures


def figure_scope(user) -> tuple[bool, QuerySet[Carrier]]:
    """(may see district-wide figures, the carriers whose figures the user may see) on the indicator pages: the
    operating company and the bureau every carrier, park staff only theirs, the others none (PAGES
    "targets.indicators")."""
    return carrier_scope(user, "targets.indicators")
