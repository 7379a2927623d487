"""The one place cases ask what day and time it is (Asia/Shanghai), so tests can pin both to an official
calendar date."""

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()
