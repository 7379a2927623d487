from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tongban.common.clock import Schedule, fire_due
from tongban.common.jobs import ping
from tongban.common.models import ClockSlot, Heartbeat
from tongban.schedule import SCHEDULES

HEARTBEAT = Schedule("hb", "tongban.common.jobs.worker_heartbeat", every=timedelta(seconds=30))
NIGHTLY = Schedule("nightly", "tongban.common.jobs.prune_finished_jobs", every=timedelta(days=1),
                   offset=timedelta(hours=3))  # fmt: skip


def test_slots_align_to_local_time():
    # 2026-11-22 02:59:59 in Shanghai is still the previous day's 03:00 slot.
    before = datetime(2026, 11, 21, 18, 59, 59, tzinfo=UTC)
    after = datetime(2026, 11, 21, 19, 0, 0, tzinfo=UTC)
    assert NIGHTLY.slot_start(before).isoformat() == "2026-11-21T03:00:00+08:00"
    assert NIGHTLY.slot_start(after).isoformat() == "2026-11-22T03:00:00+08:00"
    assert HEARTBEAT.slot_start(datetime(2026, 1, 1, 0, 0, 44, tzinfo=UTC)).second == 30


@pytest.mark.django_db
def test_each_slot_fires_once_even_with_two_clocks():
    now = datetime(2026, 11, 22, 4, 0, 5, tzinfo=UTC)
    assert fire_due([HEARTBEAT, NIGHTLY], now) == ["hb", "nightly"]
    assert fire_due([HEARTBEAT, NIGHTLY], now + timedelta(seconds=10)) == []  # same slots: a second clock
    assert fire_due([HEARTBEAT, NIGHTLY], now + timedelta(seconds=30)) == ["hb"]
    assert ClockSlot.objects.count() == 3
    assert DBTaskResult.objects.filter(task_path="tongban.common.jobs.worker_heartbeat").count() == 2
    assert all(slot.task_result_id for slot in ClockSlot.objects.all())


def test_every_declared_schedule_names_a_real_task():
    from django.utils.module_loading import import_string

    names = [schedule.name for schedule in SCHEDULES]
    assert len(names) == len(set(names))
    for schedule in SCHEDULES:
        assert hasattr(import_string(schedule.task), "enqueue"), schedule.task


@pytest.mark.django_db(transaction=True)
def test_worker_runs_enqueued_jobs_and_beats():
    result = ping.enqueue("你好")
    fire_due([HEARTBEAT], datetime.now(tz=UTC))
    call_command("worker", batch=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "你好"
    assert Heartbeat.objects.filter(role="worker").exists()
