"""Every periodic job of the platform, in one place. The clock process (``tongban clock``) reads this.

Tasks are named by dotted path so this list does not import the contexts; each context owns its task.
"""

from datetime import timedelta

from tongban.common.clock import Schedule

SCHEDULES: tuple[Schedule, ...] = (
    Schedule("worker-heartbeat", "tongban.common.jobs.worker_heartbeat", every=timedelta(seconds=30)),
    # Messages are delivered by runs enqueued after each commit; this sweep catches what a crash left behind
    # and tries failed deliveries again.
    Schedule(
        "deliver-pending-messages",
        "tongban.common.notifications.deliver_pending_messages",
        every=timedelta(minutes=1),
        kwargs={"retry": True},
    ),
    Schedule("deadline-sweep", "tongban.cases.sweeps.deadline_sweep", every=timedelta(hours=1)),
    Schedule(
        "supervision-day-sums",
        "tongban.supervision.tasks.refresh_department_day_sums",
        every=timedelta(hours=1),
        offset=timedelta(minutes=5),
    ),
    Schedule("escalate-tickets", "tongban.ratings.tasks.escalate_overdue_tickets", every=timedelta(hours=1)),
    Schedule(
        "license-expiry-reminders",
        "tongban.licenses.tasks.expiry_reminders",
        every=timedelta(days=1),
        offset=timedelta(hours=9),
    ),
    Schedule("audit-checkpoint", "tongban.common.jobs.checkpoint_audit_chains", every=timedelta(minutes=10)),
    Schedule(
        "prune-finished-jobs",
        "tongban.common.jobs.prune_finished_jobs",
        every=timedelta(days=1),
        offset=timedelta(hours=3),
    ),
)
