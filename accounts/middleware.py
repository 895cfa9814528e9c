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
