"""OIDC provider details that need no live server: discovery, JWKS, PKCE S256 required and plain refused."""

import base64
import hashlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings as django_settings
from oauth2_provider.models import Application

from tongban.identity.hashers import ClientSecretHasher
from tongban.identity.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
REDIRECT = "https://dept.example.gov.cn/callback"


@pytest.fixture(autouse=True)
def _client_secret_hasher(settings):
    settings.PASSWORD_HASHERS = [*django_settings.PASSWORD_HASHERS, "tongban.identity.hashers.ClientSecretHasher"]


@pytest.fixture
def application():
    return Application.objects.create(
        name="部门系统",
        client_id="dept-system",
        client_secret="s" * 64,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def test_discovery_at_the_site_root_advertises_s256_only(client):
    body = client.get("/.well-known/openid-configuration").json()
    assert body["issuer"] == django_settings.SITE_URL
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["jwks_uri"].endswith("/o/.well-known/jwks.json")
    assert "RS256" in body["id_token_signing_alg_values_supported"]
    assert {"real_name_level", "id_number_masked"} <= set(body["claims_supported"])
    keys = client.get("/o/.well-known/jwks.json").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and "d" not in keys[0]  # the public half only


def test_client_secrets_use_the_fast_hasher(application):
    assert application.client_secret.startswith(f"{ClientSecretHasher.algorithm}$")


def _authorize(client, **extra):
    params = {"response_type": "code", "client_id": "dept-system", "redirect_uri": REDIRECT, "scope": "openid", **extra}
    response = client.get("/o/authorize/", params)
    assert response.status_code == 302
    return parse_qs(urlparse(response.url).query)


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ({}, True),  # no PKCE at all
        ({"code_challenge": "x" * 43, "code_challenge_method": "plain"}, True),
        (
            {
                "code_challenge": base64.urlsafe_b64encode(hashlib.sha256(b"v" * 43).digest()).rstrip(b"=").decode(),
                "code_challenge_method": "S256",
            },
            False,
        ),
    ],
    ids=["no-pkce", "plain", "s256"],
)
def test_pkce_s256_is_required(client, application, extra, refused):
    client.force_login(PersonFactory().user)
    query = _authorize(client, **extra)
    if refused:
        assert query["error"] == ["invalid_request"] and "code" not in query
    else:
        assert "code" in query and "error" not in query
