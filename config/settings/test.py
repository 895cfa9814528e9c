"""Settings for the test suite: real PostgreSQL and Redis, fast hashing, mail kept in memory."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DEBUG", "false")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import CACHES, DATABASES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["KEY_PREFIX"] = "linzi-test"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Parallel runs on one server (e.g. two checkouts) can keep their test databases apart.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}
# Serve static files from the finders, as in development: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Test-only: seconds a report compile pauses after each step, to kill its worker mid-run (targets/tests).
REPORT_COMPILE_SECTION_PAUSE = float(os.environ.get("REPORT_COMPILE_SECTION_PAUSE", "0"))
