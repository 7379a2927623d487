import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from tongban.common.clock import run_clock
from tongban.schedule import SCHEDULES


class Command(BaseCommand):
    help = "Run the clock process that enqueues periodic jobs (deadline sweeps, reminders, heartbeats)."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        for schedule in SCHEDULES:
            self.stdout.write(f"  {schedule.name}: every {schedule.every} → {schedule.task}")
        self.stdout.flush()
        run_clock(SCHEDULES, stop)
