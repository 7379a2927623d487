"""pytest settings: the same as base, with a fast password hasher and quiet logs."""

from tongban.settings.base import *  # noqa: F403
from tongban.settings.base import LOGGING

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested explicitly
LOGGING["root"]["level"] = "WARNING"
IDENTITY_POPULATION_REGISTRY = "tongban.identity.registry.DemoPopulationRegistry"  # in process; exchange tests: theirs
STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files through the finders; nothing is collected

# SQLite tests run on a real file in WAL mode, as Tongban runs it: the in-memory shared-cache database that
# Django would otherwise use has table locks that ignore the busy timeout, so concurrency tests would lie.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"tongban-test-{os.getpid()}.sqlite3")
    }
