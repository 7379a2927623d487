from django.urls import path

from tongban.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("cases/<int:case_id>/", views.rate_case, name="rate_case"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/<int:ticket_id>/", views.ticket, name="ticket"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:visit_id>/", views.visit, name="visit"),
    path("v/<str:token>/", views.rate_visit, name="rate_visit"),
]
