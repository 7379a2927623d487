import re

import pytest

from tongban.identity.models import SmsOutbox


@pytest.fixture
def last_code():
    """The code in the latest SMS sent to anyone (the outbox channel is the default)."""

    def read() -> str:
        body = SmsOutbox.objects.latest("pk").body
        match = re.search(r"(?<!\d)\d{6}(?!\d)", body)
        assert match is not None
        return match.group(0)

    return read
