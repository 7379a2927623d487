from django.urls import path

from tongban.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("cases/<int:case_id>/", views.rate_case, name="rate_case"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/<int:ticket_id>/", views.ticket, name="ticket"),
]
