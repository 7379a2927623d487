"""The ``tongban`` command: Tongban's own commands first, and every Django management command behind them."""

from __future__ import annotations

import os
import sys

TONGBAN_HELP = """\
tongban — 通办 one-stop government service platform

Usage: tongban COMMAND [options]      (tongban COMMAND --help for its options)

Running
  run                 migrate, load demo data once, start web server + worker + clock (Ctrl-C stops all)
  serve               web server (gunicorn) on TONGBAN_BIND
  worker              background job worker (run as many as you like)
  clock               periodic-job clock (schedules in tongban/schedule.py)
  exchange demo-server  demo department systems for the data exchange (port 8801)
  migrate             create or update the database tables

Data and operations
  demo                load demo data and list the demo accounts (--json)
  health              database, job queue, worker and clock status (--json)
  jobs ping           enqueue a test job and wait for a worker (--json)
  settings            every environment variable with its default (--json)
  ids check VALUE     resident ID number or credit code check (--json)
  catalog import|export   service catalog import (guangdong, guangan, tongban) and export (JSON, XLSX)
  search "QUESTION"   the search assistant (--limit, --json)
  calendar add-workdays DATE N   the legal clock (--json); also between, day, years, load
  demo generate --cases N   bulk demo volumes for benchmarks
  audit verify|checkpoint|checkpoints   the tamper-evident audit trail (--json)
  license verify FILE   verify an e-license offline (--json)
  check --deploy      Django's deployment checks
  createsuperuser     create an administrator account

All Django management commands work too: tongban help --commands
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings.base")
    if len(argv) < 2 or argv[1] in {"-h", "--help"}:
        sys.stdout.write(TONGBAN_HELP)
        return
    from django.core.management import execute_from_command_line  # after DJANGO_SETTINGS_MODULE is set

    execute_from_command_line(["tongban", *argv[1:]])


if __name__ == "__main__":
    main()
