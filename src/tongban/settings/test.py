"""pytest settings: the same as base, with a fast password hasher and quiet logs."""

from tongban.settings.base import *  # noqa: F403
from tongban.settings.base import LOGGING

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested explicitly
LOGGING["root"]["level"] = "WARNING"
STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files through the finders; nothing is collected
