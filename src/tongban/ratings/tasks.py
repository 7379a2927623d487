from django_tasks import task

from tongban.ratings.services import escalate_overdue


@task(queue_name="sweeps")
def escalate_overdue_tickets() -> int:
    return escalate_overdue()
