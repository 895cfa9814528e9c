from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.views import HomeView
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The API reference pages (no personal data) under the portal's policy, widened only where their viewers need:
    # Swagger UI's start-up script is served as a file (the split view) and it styles itself inline; ReDoc also
    # starts from an inline script and parses in a blob: worker. Its web fonts are left out (no CDN): see
    # templates/drf_spectacular/redoc.html.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the API's JSON, files).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.ico")),
    path("api/v1/", include("config.api_urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("parks/", include("parks.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("incubation/", include("incubation.urls")),
    path("targets/", include("targets.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
