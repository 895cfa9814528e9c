"""The browsable API (DRF's HTML pages for developers) under the portal's Content-Security-Policy."""

from rest_framework.renderers import BrowsableAPIRenderer

# DRF's own templates set style attributes (and <style> elements); its scripts are files. Those pages, and only they,
# allow inline styles: scripts stay 'self'.
BROWSABLE_API_POLICY = {"style-src": ["'unsafe-inline'"]}


class PortalBrowsableAPIRenderer(BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = BROWSABLE_API_POLICY  # read by csp.middleware.CSPMiddleware
        return super().render(data, accepted_media_type, renderer_context)
