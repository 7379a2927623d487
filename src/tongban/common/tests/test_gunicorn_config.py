"""`tongban serve` starts gunicorn with the garbage collector's settings (common.gunicorn_config)."""

import gc
import os

from django.core.management import call_command

from tongban.common import gunicorn_config


def test_serve_runs_gunicorn_with_the_collector_settings(monkeypatch):
    started: dict[str, list[str]] = {}
    monkeypatch.setattr(os, "execv", lambda executable, argv: started.update(argv=argv))
    call_command("serve", "--bind", "127.0.0.1:9")
    argv = started["argv"]
    assert "--preload" in argv and argv[argv.index("--config") + 1] == "python:tongban.common.gunicorn_config"
    call_command("serve", "--bind", "127.0.0.1:9", "--reload")
    assert "--config" not in started["argv"]  # development: no preloaded master to freeze


def test_a_worker_collects_young_objects_less_often_and_never_what_the_master_built():
    before = gc.get_threshold()
    try:
        gunicorn_config.pre_fork(None, None)
        assert gc.get_freeze_count() > 0
        gunicorn_config.post_fork(None, None)
        assert gc.get_threshold() == (50_000, 50, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
