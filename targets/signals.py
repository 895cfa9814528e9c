"""When an input of the indicator figures changes, the cached dashboards become stale (targets.dashboard) and the
district-wide dashboard of this year is recomputed in the background, so the bureau rarely meets a cold page.

Saves and deletes of the input models are caught here; writes that bypass them (bulk_create, queryset update,
raw SQL: the demo and bench generators) call `inputs_changed()` themselves."""

from __future__ import annotations

import logging

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from targets import dashboard, tasks

logger = logging.getLogger(__name__)

# Every model a dashboard figure, target status or funnel step is computed from.
INPUT_MODELS = (
    "incubation.Residency",
    "incubation.Transition",
    "incubation.Allocation",
    "incubation.RuleSet",
    "incubation.Application",
    "enterprises.Enterprise",
    "enterprises.TechSMERegistration",
    "enterprises.HTECertificate",
    "enterprises.HTEApplication",
    "enterprises.FinancingEvent",
    "enterprises.OperatingReport",
    "parks.Carrier",
    "parks.Accreditation",
    "parks.Building",
    "parks.Unit",
    "targets.TargetPlan",
    "targets.Target",
)
WARM_LOCK_KEY = "targets:dashboard:warm-scheduled"
WARM_DELAY = 10  # seconds: changes within this time share one recomputation


def inputs_changed() -> None:
    """Mark every cached dashboard stale now, and once the transaction commits schedule one recomputation of this
    year's district-wide dashboard (debounced: at most one is pending at a time)."""
    _bump()
    # Bumped again on commit: a page computed from the old rows while this transaction was open is never read.
    transaction.on_commit(_bump)
    try:
        schedule = cache.add(WARM_LOCK_KEY, 1, timeout=WARM_DELAY)
    except Exception:  # Redis is down: nothing is cached either, and the write must not fail for it
        logger.exception("could not reach the cache to schedule the dashboard warm-up")
        return
    if schedule:
        transaction.on_commit(_schedule_warm)


def _bump() -> None:
    try:
        dashboard.bump_version()
    except Exception:  # Redis is down: the write goes on (a page cached before lives at most its 12 hours)
        logger.exception("could not mark the cached dashboards stale")


def _schedule_warm() -> None:
    try:
        tasks.warm_dashboard.apply_async(countdown=WARM_DELAY, retry=True, retry_policy={"max_retries": 2})
    except Exception:  # the broker is down: the next visit computes the page instead
        logger.exception("could not schedule the dashboard warm-up")


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not the portal's writes
        return
    inputs_changed()


def connect() -> None:
    for label in INPUT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"targets.inputs_changed.save.{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"targets.inputs_changed.delete.{label}")
