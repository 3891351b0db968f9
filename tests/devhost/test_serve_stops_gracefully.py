"""`python -m devhost serve` stops gracefully on SIGTERM/SIGINT, and at once on a second one.

The Functions host drains on shutdown: it stops taking new invocations and waits for running
ones up to a timeout (azure-functions-host `ScriptHost`/`JobHost.StopAsync`; the Durable
extension stops its DTFx `TaskHubWorker` with `StopAsync`, which waits for dispatched work
items). What was cut off is still in the store and runs again on the next start.
"""

from __future__ import annotations

import signal
from pathlib import Path

import requests

APPS = Path(__file__).parent / "apps"


def _runs(folder: Path) -> list[str]:
    log = folder / "runs.log"
    return log.read_text().splitlines() if log.exists() else []


def _start(serve_tools, tmp_path: Path, *extra: str):
    args = ["--app-dir", str(APPS), "--app", "durable_app", "--port", "0"]
    args += ["--state-dir", str(tmp_path / "state"), *extra]
    return serve_tools.start(args, {"DURABLE_APP_DIR": str(tmp_path)})


def _held_in_step_1(serve_tools, tmp_path: Path, instance_id: str, grace_s: str):
    """A host whose instance `two_steps` runs step 1, held there until `hold` is deleted."""
    (tmp_path / "hold").touch()
    host = _start(serve_tools, tmp_path, "--grace-s", grace_s)
    response = requests.post(host.api(f"orchestrators/two_steps/{instance_id}"), timeout=10)
    assert response.status_code == 202, response.text
    serve_tools.poll(lambda: _runs(tmp_path) == ["start 1"], 20, "step 1 started")
    return host


def _signal_until_stopping(host, signum: int) -> None:
    host.signal(signum)
    host.wait_for_line(lambda line: line.startswith("Stopping"), 20)


def _assert_stopped_last(host) -> None:
    stopping = next(i for i, line in enumerate(host.lines) if line.startswith("Stopping"))
    stopped = [i for i, line in enumerate(host.lines) if line.endswith("stopped")]
    assert stopped == [len(host.lines) - 1] and stopping < stopped[0], host.output()
    assert "Traceback" not in host.output()


def test_sigterm_lets_the_running_activity_finish_and_its_result_is_kept(serve_tools, tmp_path):
    host = _held_in_step_1(serve_tools, tmp_path, "g1", grace_s="30")
    _signal_until_stopping(host, signal.SIGTERM)
    (tmp_path / "hold").unlink()  # the activity may now finish, inside the grace period
    assert host.wait_exit(30) == 0, host.output()
    _assert_stopped_last(host)
    assert _runs(tmp_path) == ["start 1", "done 1"]  # step 2 was not started while stopping

    again = _start(serve_tools, tmp_path)
    status = again.wait_finished("g1", 30)
    assert status["output"] == [10, 20]
    assert _runs(tmp_path) == ["start 1", "done 1", "start 2", "done 2"]  # step 1 ran once


def test_work_still_running_after_the_grace_period_is_cut_off_and_resumes(serve_tools, tmp_path):
    host = _held_in_step_1(serve_tools, tmp_path, "g2", grace_s="0.2")
    host.signal(signal.SIGTERM)
    assert host.wait_exit(30) == 3, host.output()
    assert "cut off" in host.output()
    _assert_stopped_last(host)

    (tmp_path / "hold").unlink()
    again = _start(serve_tools, tmp_path)
    assert again.wait_finished("g2", 30)["output"] == [10, 20]
    assert _runs(tmp_path).count("start 1") == 2  # at least once: cut off, then run again


def test_a_second_ctrl_c_stops_at_once_without_a_traceback(serve_tools, tmp_path):
    host = _held_in_step_1(serve_tools, tmp_path, "g3", grace_s="60")
    _signal_until_stopping(host, signal.SIGINT)
    host.signal(signal.SIGINT)
    assert host.wait_exit(10) == 3, host.output()
    assert "Stopped at once" in host.output()
    assert "Traceback" not in host.output()
    (tmp_path / "hold").unlink()


def test_a_stopping_host_answers_new_requests_503_then_closes_its_port(serve_tools, tmp_path):
    host = _held_in_step_1(serve_tools, tmp_path, "g4", grace_s="30")
    _signal_until_stopping(host, signal.SIGTERM)

    response = requests.post(host.api("orchestrators/two_steps/late"), timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    (tmp_path / "hold").unlink()
    assert host.wait_exit(30) == 0, host.output()

    again = _start(serve_tools, tmp_path)
    assert again.status("late") == {}  # the refused start left nothing behind
    assert again.wait_finished("g4", 30)["output"] == [10, 20]
