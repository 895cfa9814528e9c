from django.conf import settings

from accounts.roles import Role, can, primary_role, roles_of
from accounts.selectors import unread_notification_count


def navigation(request) -> dict:
    """What the base layout needs to build the navigation for the signed-in user's roles."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {
        "portal_name": settings.PORTAL_NAME,
        "user_roles": sorted(role.label for role in roles) if roles else [],
        "primary_role": primary_role(user),
        "unread_notifications": unread_notification_count(user=user),
        "nav": {
            "carriers": can(user, "view", "parks.carrier"),
            # Staff and the bureau browse all enterprises; an enterprise user goes straight to their own.
            "enterprises": can(user, "view", "enterprises.enterprise") and Role.ENTERPRISE not in roles,
            "my_enterprise": Role.ENTERPRISE in roles,
            # 我的经营数据 for enterprise users; 经营数据 and 未填报 for staff and the bureau.
            "reports": can(user, "view", "enterprises.operatingreport"),
            "reports_not_filed": can(user, "view", "enterprises.reports_not_filed"),
            "tenants": can(user, "view", "incubation.alerts"),
            "applications": can(user, "view", "incubation.application"),
            "expert": Role.EXPERT in roles,
            "audit": can(user, "view", "accounts.auditevent"),
            "targets": can(user, "view", "targets.targetplan"),
            "indicators": can(user, "view", "targets.indicators"),
            "dashboard": can(user, "view", "targets.dashboard"),
            "torch_export": can(user, "view", "targets.torch_export"),
            "carrier_returns": can(user, "view", "targets.carrierreturn"),
            "cultivation": can(user, "view", "targets.cultivation"),
            "readiness": can(user, "view", "targets.readiness"),
            "report_runs": can(user, "view", "targets.reportrun"),
            "admin_site": Role.ADMIN in roles,
            "api_docs": bool(roles),
        },
    }
