"""Applicant pages under /cases/. The staff pages of this context are mounted by the workbench."""

from django.urls import path

from tongban.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("apply/<str:item_code>/", views.apply, name="apply"),
    path("status/<str:token>/", views.status, name="status"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/draft/", views.draft, name="draft"),
    path("<int:case_id>/receipt/", views.receipt, name="receipt"),
    path("<int:case_id>/materials/<int:position>/", views.material, name="material"),
    path("<int:case_id>/materials/<int:position>/file/", views.material_file, name="material_file"),
]
