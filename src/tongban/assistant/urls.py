from django.urls import path

from tongban.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.search_page, name="search"),
]
