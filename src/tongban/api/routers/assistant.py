"""API endpoints of the assistant context. Thin: parse, call the context's public services/selectors, shape."""

from ninja import Router

router = Router(tags=["assistant"])
