"""The Django admin site, open only to the roles accounts.roles.ADMIN_SITE_ROLES names (the system administrator)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from accounts.roles import ADMIN_SITE_ROLES, has_role


class PortalAdminSite(admin.AdminSite):
    site_header = "临淄一体化孵化平台 · 系统管理"
    site_title = "临淄一体化孵化平台"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and has_role(user, *ADMIN_SITE_ROLES))


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin_site.PortalAdminSite"
