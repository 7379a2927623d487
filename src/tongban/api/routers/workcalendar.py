"""API endpoints of the workcalendar context. Thin: parse, call the context's public services/selectors, shape."""

from ninja import Router

router = Router(tags=["workcalendar"])
