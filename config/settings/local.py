"""Settings for a developer's machine and the demo (`python3 dev.py run`)."""

import os

os.environ.setdefault("SECRET_KEY", "local-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DEBUG", "true")

from config.settings.base import *  # noqa: E402,F403
