"""The client's IP address, as the lockout (django-axes) and the audit trail record it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the outermost trusted proxy saw.

    Only the last TRUSTED_PROXY_COUNT entries of X-Forwarded-For are trusted: a client can put anything before them.
    """
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
