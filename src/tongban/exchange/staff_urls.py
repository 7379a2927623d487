"""Staff pages, mounted at ``/workbench/exchange/`` so the workbench's second-factor guard covers them."""

from django.urls import path

from tongban.exchange import views

app_name = "exchange_staff"

urlpatterns = [
    path("statistics/", views.usage_statistics, name="statistics"),
]
