from django.urls import path

from tongban.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("item/<str:code>/", views.item_detail, name="item"),
    path("item/<str:code>/print/", views.item_print, name="item_print"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<slug:slug>/", views.bundle_detail, name="bundle"),
]
