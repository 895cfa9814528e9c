"""Per-object access: every owned model's queryset says what a user may see or change, and base classes apply it."""

from __future__ import annotations

from typing import Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from accounts.roles import can


class RestrictedQuerySet(models.QuerySet):
    """`for_user(user, action)` = the rows `user` may `action`. Models narrow the scope in `scope_for`."""

    def for_user(self, user, action: str = "view") -> Self:
        if not can(user, action, self.model):
            return self.none()
        return self.scope_for(user, action)

    def scope_for(self, user, action: str) -> Self:
        return self


def ensure_allowed(user, action: str, obj: models.Model) -> None:
    """Raise PermissionDenied unless `user` may `action` this very object. Services call it before writing."""
    manager = type(obj)._default_manager
    if not manager.all().for_user(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


def ensure_allowed_to_add(user, model: type[models.Model], *, within: models.Model | None = None) -> None:
    """Raise PermissionDenied unless `user` may add a `model` row under `within` (e.g. a building in a carrier)."""
    if not can(user, "add", model):
        raise PermissionDenied(_("You do not have permission to do this."))
    if within is not None:
        ensure_allowed(user, "change", within)
