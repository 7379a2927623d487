"""The URL map: pages, the API, health, admin, and the language switch."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from tongban.api.api import api
from tongban.common.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("account/", include("tongban.identity.urls")),
    path("workbench/exchange/", include("tongban.exchange.staff_urls")),
    path("workbench/", include("tongban.workbench.urls")),
    path("services/", include("tongban.catalog.urls")),
    path("search/", include("tongban.assistant.urls")),
    path("cases/", include("tongban.cases.urls")),
    path("supervision/", include("tongban.supervision.urls")),
    path("ratings/", include("tongban.ratings.urls")),
    path("my/data/", include("tongban.exchange.urls")),
    path("", include("tongban.identity.root_urls")),
    path("", include("tongban.licenses.urls")),
    path("", include("tongban.portal.urls")),
]

handler400 = "tongban.common.views.bad_request"
handler403 = "tongban.common.views.permission_denied"
handler404 = "tongban.common.views.page_not_found"
handler500 = "tongban.common.views.server_error"
