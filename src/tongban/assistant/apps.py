"""智能问答 — Search assistant: The search index and question answering over the catalog."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "tongban.assistant"
    label = "assistant"
    verbose_name = _("Search assistant")

    def ready(self) -> None:
        from tongban.assistant import index, seed
        from tongban.catalog.public import on_items_changed
        from tongban.common.public import DemoLoader, register_demo_loader

        on_items_changed(index.reindex_items)
        register_demo_loader(DemoLoader(name="assistant", order=31, load=seed.load_demo, accounts=lambda: []))
