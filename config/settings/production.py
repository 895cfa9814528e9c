"""Settings for a real server. Everything secret or site-specific must come from the environment."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SPECTACULAR_SETTINGS, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# `check --deploy` on the server is about the server's configuration. drf-spectacular would also generate the whole
# OpenAPI schema there and report its naming hints as deploy warnings; the schema is validated where it is written
# instead (`manage.py spectacular --validate --fail-on-warn`, in `make check` and CI).
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}

# Keep Django's LOGGING (JSON lines on stdout) in the Celery worker and beat: by default Celery replaces the root
# logger's handlers with its own plain-text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
