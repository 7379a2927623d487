"""Signed public status links (查询链接): anyone holding the link sees a case's timeline, without logging in.

One token generator for this one purpose, with its own salt, so a token signed for anything else (a
download, a license QR) can never be replayed here. The token names only the case id; the page it opens
shows no personal data (see :func:`tongban.cases.selectors.timeline` with ``for_public=True``).
"""

from __future__ import annotations

from django.core import signing

from tongban.cases.models import Case

SALT = "tongban.cases.status-link.v1"


def status_token(case: Case) -> str:
    return signing.dumps({"case": case.pk}, salt=SALT, compress=True)


def case_id_from_token(token: str) -> int | None:
    """The case id a token was signed for, or None for anything forged, truncated or signed elsewhere."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    case_id = data.get("case") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, int) else None
