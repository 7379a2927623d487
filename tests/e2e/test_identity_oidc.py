"""A department system signs a citizen in through Tongban's OpenID Connect provider, for real: a live
server, a browser-like session logging in through the login form, and authlib as the OIDC client with
PKCE S256 and a nonce; the ID token is verified (signature against the JWKS, issuer, audience, nonce)."""

import secrets

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings as django_settings
from joserfc import jwt
from joserfc.jwk import KeySet
from oauth2_provider.models import Application

from tongban.identity.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "http://127.0.0.1:9/callback"  # never fetched: the test reads the code from the redirect
SECRET = secrets.token_urlsafe(48)


@pytest.fixture
def provider(settings, live_server):
    settings.PASSWORD_HASHERS = [*django_settings.PASSWORD_HASHERS, "tongban.identity.hashers.ClientSecretHasher"]
    settings.OAUTH2_PROVIDER = {**django_settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": live_server.url}
    Application.objects.create(
        name="不动产登记系统",
        client_id="bdc-system",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # registered by an administrator as a trusted department system
    )
    return live_server.url


def _browser_login(base, identifier, password):
    browser = requests.Session()
    browser.get(f"{base}/account/login/", timeout=10)
    response = browser.post(
        f"{base}/account/login/",
        data={"identifier": identifier, "password": password, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{base}/account/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, "login through the form"
    return browser


def test_authorization_code_flow_with_pkce_and_a_verified_id_token(provider):
    person = PersonFactory(
        name="张三", id_number="11010519491231002X", phone="13911112222", user__password="pw-for-oidc-1"
    )
    browser = _browser_login(provider, "13911112222", "pw-for-oidc-1")
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == provider

    oidc = OAuth2Session(
        "bdc-system", SECRET, scope="openid profile id_number", redirect_uri=REDIRECT, code_challenge_method="S256"
    )
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    url, _state = oidc.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    redirect = browser.get(url, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302 and redirect.headers["Location"].startswith(REDIRECT)
    token = oidc.fetch_token(
        discovery["token_endpoint"], authorization_response=redirect.headers["Location"], code_verifier=verifier
    )

    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=10).json())
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider},
        aud={"essential": True, "value": "bdc-system"},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
    ).validate(id_token.claims)
    assert id_token.claims["sub"] == str(person.user.public_id)
    assert id_token.claims["real_name_level"] == 1
    assert id_token.claims["id_number_masked"] == "1101**********002X"

    userinfo = oidc.get(discovery["userinfo_endpoint"], timeout=10).json()
    assert userinfo["sub"] == str(person.user.public_id) and userinfo["name"] == person.user.get_full_name()
    assert "11010519491231002X" not in repr(userinfo) + repr(id_token.claims)


def test_a_request_without_pkce_is_refused(provider):
    PersonFactory(phone="13911113333", user__password="pw-for-oidc-1")
    browser = _browser_login(provider, "13911113333", "pw-for-oidc-1")
    oidc = OAuth2Session("bdc-system", SECRET, scope="openid", redirect_uri=REDIRECT)
    url, _state = oidc.create_authorization_url(f"{provider}/o/authorize/")
    redirect = browser.get(url, allow_redirects=False, timeout=10)
    assert "error=invalid_request" in redirect.headers["Location"] and "code=" not in redirect.headers["Location"]
