from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tongban.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tongban.cases.generate import generate_cases
        from tongban.cases.sweeps import recompute_provisional_task
        from tongban.common.public import register_demo_generator
        from tongban.workcalendar.public import on_year_published

        register_demo_generator("cases", generate_cases)

        def recompute(year: int) -> None:
            recompute_provisional_task.enqueue(year)

        on_year_published(recompute)
