"""接口 — JSON API: django-ninja routers per context, the error mapping and the OpenAPI document."""
