"""数据共享交换 — Data exchange: Data resources, subscriptions, connectors (plugins) and the exchange call log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tongban.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from tongban.common.public import DemoLoader, register_demo_loader
        from tongban.exchange import demo
        from tongban.exchange.services import machine_scopes_for
        from tongban.identity.public import register_machine_scopes

        register_machine_scopes(machine_scopes_for)  # department systems' tokens name the resources they may call
        register_demo_loader(DemoLoader(name="exchange", order=40, load=demo.load, accounts=lambda: []))
