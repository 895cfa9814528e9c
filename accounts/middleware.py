from django.utils.cache import patch_cache_control

from accounts.audit import current_remote_addr
from accounts.network import client_ip


class AuditContextMiddleware:
    """Makes the client's address available to the audit trail for the duration of each request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_remote_addr.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_remote_addr.reset(token)


class PrivateResponseMiddleware:
    """Whatever a signed-in user is shown (enterprises, teams, people, the audit trail, applications, reports, their
    exports) carries personal or business data: neither a shared cache nor the browser's may keep it. A response
    that sets its own Cache-Control (a document download, a report file) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
