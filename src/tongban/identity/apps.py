from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "tongban.identity"
    label = "identity"
    verbose_name = _("Identity and access")

    def ready(self) -> None:
        from tongban.common.public import DemoLoader, register_demo_loader
        from tongban.identity import demo

        register_demo_loader(DemoLoader(name="identity", order=10, load=demo.load, accounts=demo.accounts))
