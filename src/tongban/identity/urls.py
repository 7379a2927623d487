from django.urls import path

from tongban.identity import views

app_name = "identity"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.login_password, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("", views.account, name="account"),
    path("authorisations/", views.authorisations, name="authorisations"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<int:enterprise_id>/agents/", views.enterprise_agents, name="enterprise_agents"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("staff/", views.staff, name="staff"),
    path("staff/enterprise-codes/", views.enterprise_override, name="enterprise_override"),
]
