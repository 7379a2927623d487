"""The holder's pages, mounted at ``/my/data/`` by tongban.urls."""

from django.urls import path

from tongban.exchange import views

app_name = "exchange"

urlpatterns = [
    path("records/", views.my_records, name="my_records"),
    path("usage/", views.my_usage, name="my_usage"),
]
