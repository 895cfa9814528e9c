from django.utils import timezone

from accounts.roles import Role, roles_of
from enterprises.selectors import report_banner


def report_reminders(request) -> dict:
    """The operating reports an enterprise user's enterprise still has to file (deadline near or past): the banner
    on every page. One query for an enterprise user, none for anyone else (or on a page without the layout: the
    value is lazy)."""
    user = getattr(request, "user", None)
    if Role.ENTERPRISE not in roles_of(user):
        return {"pending_reports": ()}
    cache: dict[str, list] = {}

    def pending() -> list:
        if "rows" not in cache:
            cache["rows"] = report_banner(user=user)
        return cache["rows"]

    return {"pending_reports": _Lazy(pending), "today_for_banner": timezone.localdate()}


class _Lazy:
    """A list computed the first time a template looks at it."""

    def __init__(self, load):
        self._load = load

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __bool__(self) -> bool:
        return bool(self._load())
