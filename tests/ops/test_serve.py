"""`make serve` (bin/serve): production settings, set-up, gunicorn + the django-q2 cluster, quick stop."""

import gzip
import json
import os
import re
import time

import pytest

from .serving import Server, manage, production_env


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    members.append(int(entry))
            except ProcessLookupError:
                continue
    return members


@pytest.fixture
def served(tmp_path):
    env = production_env(tmp_path / "var")
    server = Server(env, log_path=tmp_path / "serve.log")
    yield server
    server.stop()


def test_serve_sets_up_serves_and_stops_within_ten_seconds_with_a_task_running(served, tmp_path):
    started = time.monotonic()
    served.wait_ready()
    print(f"bin/serve up (set-up included) in {time.monotonic() - started:.1f} s")
    status, _headers, body = served.get("/")
    assert status == 200, served.log()[-3000:]
    assert b"<html" in body
    assert served.get("/healthz")[0] == 200
    # Logs: JSON lines, the access line of the page with its request id.
    access = [json.loads(line) for line in served.log().splitlines() if line.startswith('{"')]
    assert any(
        e["logger"] == "portal.access" and e["path"] == "/" and len(e["request_id"]) == 32 for e in access
    )
    # Static files: hashed names, served by gunicorn (WhiteNoise), cached for long, compressed.
    stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, body[:2000]
    status, headers, css = served.get(stylesheet[1].decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"])[1]) >= 365 * 24 * 3600
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(css).strip()
    # The worker is busy with a long task (as a feed check waiting on a slow server would be): stopping
    # must not wait for it.
    marker = tmp_path / "task-started"
    task = f"from django_q.tasks import async_task; async_task('os.system', 'touch {marker}; sleep 120')"
    manage(served.env, "shell", "-c", task)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), served.log()[-3000:]
    log = served.log()
    children = [int(line.split("pid ")[1].rstrip(")")) for line in log.splitlines() if "started (pid" in line]
    assert len(children) == 2, log
    groups = {pid: _group_members(pid) for pid in children}
    assert all(len(members) >= 2 for members in groups.values()), groups  # masters and their workers

    elapsed = served.terminate()

    print(f"stopped in {elapsed:.1f} s")
    assert elapsed < 10, served.log()[-3000:]
    # SIGKILL is delivered at once but a process takes a moment to go.
    deadline = time.monotonic() + 2
    while (left := [pid for members in groups.values() for pid in members if _alive(pid)]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert not left
