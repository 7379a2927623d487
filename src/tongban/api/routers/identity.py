"""API endpoints of the identity context. Thin: parse, call the context's public services/selectors, shape."""

from ninja import Router

router = Router(tags=["identity"])
