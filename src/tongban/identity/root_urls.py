"""Identity addresses that must sit at the site root (OIDC discovery, the provider's endpoints)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
