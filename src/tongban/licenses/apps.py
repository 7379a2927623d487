"""电子证照 — E-licenses: License types, issuance, signatures, status lists and verification."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensesConfig(AppConfig):
    name = "tongban.licenses"
    label = "licenses"
    verbose_name = _("E-licenses")

    def ready(self) -> None:
        from tongban.common.public import DemoLoader, register_demo_loader
        from tongban.licenses import demo

        register_demo_loader(DemoLoader(name="licenses", order=45, load=demo.load, accounts=lambda: []))
