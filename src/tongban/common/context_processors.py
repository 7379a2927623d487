from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"TONGBAN_ENV": settings.TONGBAN_ENV, "SITE_URL": settings.SITE_URL}
