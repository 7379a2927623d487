"""The demo department-systems server: a separate process standing in for eight departments' systems.

Django-free (standard library only) so it starts in a blink and can run anywhere: ``tongban exchange
demo-server --port 8801`` or ``python -m tongban.exchange.demo_server --port 8801``.
"""
