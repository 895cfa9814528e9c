"""Who may read and write what: the one place that says so.

Each role is a Django group. POLICY maps a model to the roles allowed each action on it; the object scope
(a park's staff touch only their own carriers) is applied by each model's queryset `scope_for()`. Views, the
API and services all ask `can()` / `Model.objects.for_user()`, and the groups' Django permissions are kept in
step with POLICY (sync_role_groups) so the admin site obeys the same rules.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    OPERATOR = "operator", _("Operating company")
    PARK_STAFF = "park_staff", _("Park administrator")
    BUREAU = "bureau", _("District S&T bureau")
    EXPERT = "expert", _("Expert reviewer")
    ENTERPRISE = "enterprise", _("Enterprise user")


# The groups' names are the Chinese role names the district uses; they never change once created.
GROUP_NAMES: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.OPERATOR: "运营公司",
    Role.PARK_STAFF: "分园管理员",
    Role.BUREAU: "区科技局",
    Role.EXPERT: "评审专家",
    Role.ENTERPRISE: "企业用户",
}
ROLE_BY_GROUP_NAME = {name: role for role, name in GROUP_NAMES.items()}

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF})
OPERATING_ROLES = frozenset({Role.ADMIN, Role.OPERATOR})
ENTERPRISE_READERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU, Role.ENTERPRISE})
ENTERPRISE_WRITERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ENTERPRISE})
TENANT_OVERSIGHT = frozenset({Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU})
TARGET_KEEPERS = frozenset({Role.ADMIN, Role.BUREAU})
# Who applies for a place (incubation.workflow) and who files operating reports (enterprises.report_workflow):
# the enterprise user for their own enterprise; the operating company also files on a tenant's behalf.
APPLICANTS = frozenset({Role.ENTERPRISE})
REPORT_FILERS = OPERATING_ROLES | {Role.ENTERPRISE}

# model label -> action -> roles allowed. Object scope is narrowed further by the model's queryset.
POLICY: dict[str, dict[str, frozenset[Role]]] = {
    "parks.carrier": {
        "view": ALL_ROLES,
        "change": STAFF_ROLES,
        "add": frozenset({Role.ADMIN}),
        "delete": frozenset({Role.ADMIN}),
    },
    "parks.focusfield": {
        "view": ALL_ROLES,
        "add": OPERATING_ROLES,
        "change": OPERATING_ROLES,
        "delete": OPERATING_ROLES,
    },
    "parks.anchororganisation": {
        "view": ALL_ROLES,
        "add": STAFF_ROLES,
        "change": STAFF_ROLES,
        "delete": STAFF_ROLES,
    },
    # Accreditations are recorded from official certificates by the operating company, not by a park itself.
    "parks.accreditation": {
        "view": ALL_ROLES,
        "add": OPERATING_ROLES,
        "change": OPERATING_ROLES,
        "delete": OPERATING_ROLES,
    },
    "parks.building": {"view": ALL_ROLES, "add": STAFF_ROLES, "change": STAFF_ROLES, "delete": STAFF_ROLES},
    "parks.unit": {"view": ALL_ROLES, "add": STAFF_ROLES, "change": STAFF_ROLES, "delete": STAFF_ROLES},
    # Enterprises: the operating company keeps them; an enterprise user keeps their own (scope: the queryset).
    "enterprises.enterprise": {
        "view": ENTERPRISE_READERS,
        "add": OPERATING_ROLES,
        "change": ENTERPRISE_WRITERS,
        "delete": frozenset({Role.ADMIN}),
    },
    **{
        f"enterprises.{model}": {
            "view": ENTERPRISE_READERS,
            "add": ENTERPRISE_WRITERS,
            "change": ENTERPRISE_WRITERS,
            "delete": ENTERPRISE_WRITERS,
        }
        for model in (
            "teammember",
            "techsmeregistration",
            "htecertificate",
            "hteapplication",
            "honour",
            "financingevent",
            "corporateevent",
        )
    },
    "enterprises.enterprisemembership": {
        "view": ENTERPRISE_READERS,
        "add": OPERATING_ROLES,
        "change": OPERATING_ROLES,
        "delete": OPERATING_ROLES,
    },
    # Residencies and space: staff admit and allocate (park staff at their own carriers); the bureau and the
    # enterprise (its own) read.
    **{
        f"incubation.{model}": {
            "view": ENTERPRISE_READERS,
            "add": STAFF_ROLES,
            "change": STAFF_ROLES,
            "delete": frozenset({Role.ADMIN}),
        }
        for model in ("residency", "allocation", "transition")
    },
    # Applications: an applicant drafts and submits their own enterprise's; staff screen and decide those to their
    # carriers; experts read those assigned to them and score; the bureau reads (scope: the queryset).
    "incubation.application": {
        "view": ALL_ROLES,
        "add": frozenset({Role.ENTERPRISE}),
        "change": STAFF_ROLES | {Role.ENTERPRISE},
    },
    "incubation.applicationevent": {"view": ALL_ROLES},
    "incubation.review": {
        "view": TENANT_OVERSIGHT | {Role.EXPERT},
        "add": STAFF_ROLES,
        "change": frozenset({Role.EXPERT}),
        "delete": STAFF_ROLES,
    },
    # Uploaded documents follow their enterprise; experts read those of the applications assigned to them.
    "enterprises.document": {
        "view": ENTERPRISE_READERS | {Role.EXPERT},
        "add": ENTERPRISE_WRITERS,
        "delete": ENTERPRISE_WRITERS,
    },
    # Rule sets are public within the portal; the operating company adds versions (old ones never change).
    "incubation.ruleset": {"view": ALL_ROLES, "add": OPERATING_ROLES},
    # Importing existing tenants from a spreadsheet: staff; what each row may write is checked by the services
    # (park staff: residencies at their own carriers only; new enterprises are the operating company's).
    "incubation.tenantimport": {"view": STAFF_ROLES, "add": STAFF_ROLES, "change": STAFF_ROLES},
    # Target plans: every staff role and the bureau read them; the bureau (and the system administrator) sets and
    # changes the targets, each change with its reason (targets.services). The operating company only reads.
    **{
        f"targets.{model}": {"view": TENANT_OVERSIGHT, "add": TARGET_KEEPERS, "change": TARGET_KEEPERS}
        for model in ("targetplan", "target")
    },
    "targets.targetrevision": {"view": TENANT_OVERSIGHT},
    # Progress report runs (年度报告): the bureau and the operating company compile them on demand (Celery beat also
    # does, yearly and monthly); park staff read their carriers' runs only (scope: the queryset); the bureau (and the
    # system administrator) publishes a succeeded run. Enterprises and experts see none.
    "targets.reportrun": {
        "view": TENANT_OVERSIGHT,
        "add": frozenset({Role.ADMIN, Role.OPERATOR, Role.BUREAU}),
        "change": TARGET_KEEPERS,
    },
    # Rule schemes of the qualification engine (targets.metrics): public within the portal; the operating company
    # drafts and publishes versions (a published one never changes: the database refuses it).
    **{
        f"targets.{model}": {"view": ALL_ROLES, "add": OPERATING_ROLES, "change": OPERATING_ROLES}
        for model in ("scheme", "schemeversion", "criterion", "band", "filingwindow")
    },
    # Evaluations are read as the enterprise's records are (scope: the queryset); only the engine writes them.
    "targets.evaluation": {"view": ENTERPRISE_READERS},
    # The cultivation list (培育库): staff mark candidates among the tenants they oversee and record follow-ups; the
    # bureau reads them (scope: the queryset).
    "targets.candidate": {"view": TENANT_OVERSIGHT, "add": STAFF_ROLES, "change": STAFF_ROLES, "delete": STAFF_ROLES},
    "targets.followup": {"view": TENANT_OVERSIGHT, "add": STAFF_ROLES},
    # Carriers' annual returns (载体年报): the carrier's staff (park staff their own carriers) and the operating company
    # file them, the operating company verifies (targets.return_workflow); the bureau reads (scope: the queryset).
    "targets.carrierreturn": {"view": TENANT_OVERSIGHT, "add": STAFF_ROLES, "change": STAFF_ROLES},
    # Operating reports (经营数据填报): an enterprise files its own, the operating company on its behalf; staff verify
    # or return them (park staff their carriers' tenants'); the bureau reads (scope: the queryset; who files and who
    # reviews: enterprises.report_workflow).
    "enterprises.operatingreport": {
        "view": ENTERPRISE_READERS,
        "add": ENTERPRISE_WRITERS,
        "change": STAFF_ROLES | {Role.ENTERPRISE},
    },
    # Reporting deadlines: the operating company sets them; whoever files or follows reports reads them.
    "enterprises.reportdeadline": {
        "view": ENTERPRISE_READERS,
        "add": OPERATING_ROLES,
        "change": OPERATING_ROLES,
        "delete": OPERATING_ROLES,
    },
    # Reminders to file: sent by the daily job, or by staff by hand to a tenant in their scope.
    "enterprises.reportreminder": {"view": TENANT_OVERSIGHT, "add": STAFF_ROLES},
    "accounts.auditevent": {"view": frozenset({Role.ADMIN, Role.OPERATOR, Role.PARK_STAFF, Role.BUREAU})},
    # Notifications are personal: every role reads and marks as read its own (scope: the recipient), no one else's.
    "accounts.notification": {"view": ALL_ROLES, "change": ALL_ROLES},
}

# Pages and actions with no Django permission of their own: who lets which unit, and the alerts about tenants, are
# the operating company's business; the bureau reads them, park staff for their own carriers (scope:
# incubation.selectors.occupancy_buildings); enterprises and experts do not see other tenants.
# An enterprise user who signed up registers their own team or company, once (enterprises.services.enterprise_register:
# only while they act for no enterprise); every other enterprise is registered by the operating company.
PAGES: dict[str, dict[str, frozenset[Role]]] = {
    "incubation.occupancy": {"view": TENANT_OVERSIGHT},
    "incubation.alerts": {"view": TENANT_OVERSIGHT},
    "enterprises.own_registration": {"add": frozenset({Role.ENTERPRISE})},
    # The indicator figures and the enterprises behind them (targets.views): park staff only their carriers'.
    "targets.indicators": {"view": TENANT_OVERSIGHT},
    # The bureau dashboard (targets.views.DashboardView) and its XLSX export: the same readers and the same scope.
    "targets.dashboard": {"view": TENANT_OVERSIGHT},
    # The Torch statistics export (targets.reporting.torch): the operating company and the bureau every carrier,
    # park staff their own carriers and tenants only.
    "targets.torch_export": {"view": TENANT_OVERSIGHT},
    # Who has not filed their operating report: staff (park staff for their carriers' tenants) and the bureau.
    "enterprises.reports_not_filed": {"view": TENANT_OVERSIGHT},
    # The cultivation list (targets.views.CultivationListView): candidates among the tenants in the reader's scope.
    "targets.cultivation": {"view": TENANT_OVERSIGHT},
    # Accreditation readiness (targets.readiness_views): every carrier for the operating company and the bureau, park
    # staff their own.
    "targets.readiness": {"view": TENANT_OVERSIGHT},
}

# Who a self sign-up becomes: an enterprise user (企业用户), with no enterprise until they register it.
SIGN_UP_ROLE = Role.ENTERPRISE

# Roles whose members may use the Django admin site (user and role management lives there).
ADMIN_SITE_ROLES = frozenset({Role.ADMIN})


def roles_of(user) -> frozenset[Role]:
    """The roles of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = frozenset(ROLE_BY_GROUP_NAME[name] for name in names if name in ROLE_BY_GROUP_NAME)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._portal_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def can(user, action: str, model: type[models.Model] | str) -> bool:
    """May `user` do `action` (view/add/change/delete) on some objects of `model` (or a page of PAGES)? Scope is
    the queryset's."""
    return bool(roles_of(user) & _allowed(action, model))


def _label(what: type[models.Model] | str) -> str:
    return what if isinstance(what, str) else what._meta.label_lower


def _allowed(action: str, what: type[models.Model] | str) -> frozenset[Role]:
    label = _label(what)
    return (POLICY.get(label) or PAGES.get(label, {})).get(action, frozenset())


def sees_every_carrier(user, action: str, what: type[models.Model] | str) -> bool:
    """Does `user` `action` `what` (a model or a page of PAGES) at every carrier, not just their own? The operating
    company does, for everything; the bureau does for what POLICY grants it (it reads everything, and keeps the
    targets and the progress reports); nobody else (park staff: their own carriers; see carrier_lookup)."""
    roles = roles_of(user)
    if roles & OPERATING_ROLES:
        return True
    return Role.BUREAU in roles and Role.BUREAU in _allowed(action, what)


def carrier_lookup(user, action: str, what: type[models.Model] | str, path: str = "") -> Q | None:
    """The rows of `what` whose carrier (at `path`, e.g. "residency__carrier__") is in `user`'s scope: Q() for
    every carrier, the carriers they are staff of for park staff, None when the user's scope is not by carrier at all
    (an enterprise user, an expert: their model says what they see)."""
    if sees_every_carrier(user, action, what):
        return Q()
    if Role.PARK_STAFF in roles_of(user):
        return Q(**{f"{path}staff": user})
    return None


def carriers_in_scope(user, action: str, what: type[models.Model] | str) -> models.QuerySet:
    """The carriers (parks.Carrier, in display order) at which `user` may `action` `what`: none unless POLICY or
    PAGES lets them at all."""
    carriers = apps.get_model("parks", "Carrier").objects.order_by("sort_order", "id")
    lookup = carrier_lookup(user, action, what) if can(user, action, what) else None
    return carriers.none() if lookup is None else carriers.filter(lookup)


def carrier_scope(user, what: type[models.Model] | str) -> tuple[bool, models.QuerySet]:
    """(sees the district's figures, the carriers whose figures `user` reads) for a page of figures (the indicators,
    the dashboard, the Torch export): the district only for those who read every carrier."""
    readable = can(user, "view", what)
    return readable and sees_every_carrier(user, "view", what), carriers_in_scope(user, "view", what)


def primary_role(user) -> Role | None:
    """The role that decides a user's home page and navigation: the first one in Role's order."""
    roles = roles_of(user)
    return next((role for role in Role if role in roles), None)


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create the role groups and give each exactly the Django permissions POLICY grants it. Idempotent."""
    # local import: app registry (config.admin_site imports this module before the apps are ready)
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender.name != "accounts":
        return
    # post_migrate reaches accounts before the apps after it have their permissions: create them all now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, group_name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted: list[Permission] = []
        for label, actions in POLICY.items():
            app_label, model_name = label.split(".")
            for action, roles in actions.items():
                if role in roles:
                    wanted.extend(
                        Permission.objects.filter(
                            content_type__app_label=app_label,
                            content_type__model=model_name,
                            codename=f"{action}_{model_name}",
                        )
                    )
        if role is Role.ADMIN:
            wanted.extend(
                Permission.objects.filter(content_type__app_label__in=["accounts", "auth", "axes"]).exclude(
                    codename__in=["add_auditevent", "change_auditevent", "delete_auditevent"]
                )
            )
        group.permissions.set(wanted)
