"""The demo department-systems server: consistent data, behaviour controls, and a separate process."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest
from stdnum.cn import uscc

from tongban.exchange.demo import load
from tongban.exchange.demo_server import data
from tongban.exchange.models import DataResource, Subscription


def _get(url: str, path: str, ref: str = "", kind: str = "person") -> tuple[int, Any]:
    headers = {"X-Subject-Ref": ref, "X-Subject-Kind": kind}
    request = urllib.request.Request(url + path, headers=headers)  # noqa: S310  # http to 127.0.0.1
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _post(url: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return json.loads(response.read())


def test_demo_data_is_consistent_across_departments():
    code = data.DEMO_ENTERPRISE_CODE
    assert uscc.is_valid(code)
    registry = data.record("enterprise/registry", "enterprise", code)
    assert registry is not None and registry["legal_representative"] == "citizen"
    roles = data.record("enterprise/roles", "person", "citizen")
    assert roles is not None and roles["enterprises"][0]["credit_code"] == code
    staff = data.record("social_insurance/enterprise", "enterprise", code)
    assert staff is not None and staff["employees"] == ["citizen2"]
    pension = data.record("social_insurance/pension", "person", "citizen2")
    assert pension is not None and pension["employer"] == registry["name"]
    household = data.record("population/household", "person", "citizen")
    bills = data.record("utility/bills", "person", "citizen")
    assert household is not None and bills is not None and bills["address"] == household["address"]
    assert len({path.split("/")[0] for path in data.known_paths()}) == 8  # eight departments' systems


def test_reads_need_a_subject_and_answer_404_for_strangers(demo_server):
    assert _get(demo_server.url, "/population/household")[0] == 400
    assert _get(demo_server.url, "/population/household", "stranger")[0] == 404
    assert _get(demo_server.url, "/nowhere", "citizen")[0] == 404
    status, body = _get(demo_server.url, "/enterprise/registry", data.DEMO_ENTERPRISE_CODE, kind="enterprise")
    assert status == 200 and body["data"]["name"] == data.DEMO_ENTERPRISE_NAME


def test_admin_endpoints_make_a_resource_slow_or_down_and_reset(demo_server):
    _post(demo_server.url, "/_admin/behaviour", {"path": "tax/individual", "down": True})
    assert _get(demo_server.url, "/tax/individual", "citizen")[0] == 503
    assert _get(demo_server.url, "/traffic/violations", "citizen")[0] == 200  # others unaffected
    _post(demo_server.url, "/_admin/behaviour", {"path": "tax/individual", "delay_ms": 300})
    started = time.monotonic()
    assert _get(demo_server.url, "/tax/individual", "citizen")[0] == 200
    assert time.monotonic() - started >= 0.3
    _status, shown = _get(demo_server.url, "/_admin/behaviour")
    assert shown["behaviour"] == {"tax/individual": {"delay_ms": 300, "down": False}}
    _post(demo_server.url, "/_admin/reset", {})
    assert _get(demo_server.url, "/_admin/behaviour")[1]["behaviour"] == {}


def test_delay_can_be_asked_per_request(demo_server):
    started = time.monotonic()
    assert _get(demo_server.url, "/tax/individual?delay_ms=200", "citizen")[0] == 200
    assert time.monotonic() - started >= 0.2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "argv",
    [
        [sys.executable, "-m", "tongban.cli", "exchange", "demo-server"],
        [sys.executable, "-m", "tongban.exchange.demo_server"],
    ],
    ids=["tongban-command", "plain-python"],
)
def test_runs_as_a_separate_process(argv):
    port = _free_port()
    process = subprocess.Popen([*argv, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 30
        while True:
            try:
                if _get(url, "/healthz")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        assert _get(url, "/social_insurance/pension", "citizen")[1]["data"]["status"] == "正常参保"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db
def test_demo_catalog_loads_idempotently_with_the_platform_consumers_subscribed():
    load()
    load()
    assert DataResource.objects.count() == 12
    approved = Subscription.objects.filter(status="approved")
    # The identity check (population.identity) is for real-name verification only, not for pages or forms.
    assert approved.filter(consumer__code="platform.mypage").count() == 11
    assert approved.filter(consumer__code="platform.prefill").count() == 11
    identity = approved.get(consumer__code="platform.identity")
    assert (identity.resource.code, identity.fields) == ("population.identity", ["name"])
    assert set(DataResource.objects.values_list("provider__code", flat=True)) >= {"DEMO-440100-GA", "DEMO-440100-SW"}
