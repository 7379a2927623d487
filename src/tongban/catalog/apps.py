"""事项目录 — Service catalog: Standard service items (事项), versions, materials, guides and bundles (一件事)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tongban.catalog"
    label = "catalog"
    verbose_name = _("Service catalog")

    def ready(self) -> None:
        from tongban.catalog import demo
        from tongban.common.public import DemoLoader, register_demo_loader

        register_demo_loader(DemoLoader(name="catalog", order=30, load=demo.load, accounts=lambda: []))
