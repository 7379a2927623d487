from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "tongban.identity"
    label = "identity"
    verbose_name = _("Identity and access")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from tongban.common.public import DemoLoader, register_demo_loader
        from tongban.identity import demo, receivers, sessions

        register_demo_loader(DemoLoader(name="identity", order=10, load=demo.load, accounts=demo.accounts))
        user_logged_in.connect(receivers.record_login, dispatch_uid="identity_record_login")
        # A thread's next request starts with no user remembered from its last session load.
        request_started.connect(sessions.forget_loaded_user, dispatch_uid="identity_forget_loaded_user")
