"""Mounted at the site root: ``path("", include("tongban.licenses.urls"))`` (the DID document must be at
/.well-known/did.json for did:web)."""

from django.urls import path

from tongban.licenses import views

app_name = "licenses"

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did"),
    path("licenses/contexts/v1.jsonld", views.context_v1, name="context"),
    path("licenses/status/<str:purpose>/<int:list_no>", views.status_list, name="status_list"),
    path("licenses/verify/", views.verify_page, name="verify"),
    path("licenses/wallet/", views.wallet, name="wallet"),
    path("licenses/wallet/<str:number>/", views.wallet_detail, name="detail"),
    path("licenses/wallet/<str:number>/credential.json", views.wallet_credential, name="credential"),
    path("licenses/wallet/<str:number>/show", views.wallet_show, name="show"),
    path("licenses/wallet/<str:number>/license.pdf", views.wallet_pdf, name="pdf"),
]
