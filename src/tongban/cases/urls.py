"""Applicant pages under /cases/. The staff pages of this context are mounted by the workbench."""

from django.urls import path

from tongban.cases import bundle_views, receipt_pdf, views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("bundles/", bundle_views.my_bundles, name="bundles"),
    path("bundles/apply/<slug:slug>/", bundle_views.bundle_apply, name="bundle_apply"),
    path("bundles/<int:bundle_id>/", bundle_views.bundle_detail, name="bundle"),
    path("record/", bundle_views.my_record, name="record"),
    path("apply/<str:item_code>/", views.apply, name="apply"),
    path("status/<str:token>/", views.status, name="status"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/draft/", views.draft, name="draft"),
    path("<int:case_id>/receipt/", views.receipt, name="receipt"),
    path("<int:case_id>/receipt.pdf", receipt_pdf.receipt_pdf, name="receipt_pdf"),
    path("<int:case_id>/materials/<int:position>/", views.material, name="material"),
    path("<int:case_id>/materials/<int:position>/file/", views.material_file, name="material_file"),
]
