from django.contrib.auth import views as auth_views
from django.urls import path

from tongban.cases.public import (
    applicant_record_page,
    intake_case_page,
    intake_material_page,
    intake_page,
    postcheck_decide_page,
    postcheck_queue_page,
    staff_case_page,
    staff_material_file_page,
)
from tongban.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="workbench/login.html", next_page="workbench:home"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("cases/<int:case_id>/", staff_case_page, name="case"),
    path("cases/<int:case_id>/materials/<int:position>/file/", staff_material_file_page, name="case_material_file"),
    path("cases/<int:case_id>/record/", applicant_record_page, name="case_record"),
    path("postchecks/", postcheck_queue_page, name="postchecks"),
    path("postchecks/<int:postcheck_id>/", postcheck_decide_page, name="postcheck"),
    path("intake/", intake_page, name="intake"),
    path("intake/<int:case_id>/", intake_case_page, name="intake_case"),
    path("intake/<int:case_id>/materials/<int:position>/", intake_material_page, name="intake_material"),
]
