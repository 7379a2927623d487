from django.urls import path

from tongban.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("departments/<int:department_id>/", views.department, name="department"),
    path("departments/<int:department_id>/export.xlsx", views.department_export, name="department_export"),
    path("report/<str:month>/", views.public_monthly_report, name="public_report"),
]
