"""Identity addresses that must sit at the site root: OIDC discovery, and the provider under /o/.

Only the endpoints we use are mounted (authorize, token, revoke, introspect, userinfo, JWKS, RP logout);
clients are registered by administrators in the admin site, not by users or dynamic registration.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from oauth2_provider import urls as oauth2_urls
from oauth2_provider import views as oauth2_views

_provider = [p for p in oauth2_urls.base_urlpatterns if p.name in {"authorize", "token", "revoke-token", "introspect"}]

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        r"^\.well-known/openid-configuration/?$", oauth2_views.ConnectDiscoveryInfoView.as_view(), name="oidc_discovery"
    ),
    path("o/", include((_provider + oauth2_urls.oidc_urlpatterns, "oauth2_provider"))),
]
