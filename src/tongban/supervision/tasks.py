from django_tasks import task

from tongban.supervision.services import refresh_department_days


@task(queue_name="sweeps")
def refresh_department_day_sums() -> dict[str, object]:
    return refresh_department_days()
