"""Where `python -m devhost serve` keeps its state, and one host per state folder.

Azurite keeps the local storage emulator's data in a folder of the project; devhost keeps its
store in the app folder's `.devhost/`, which ignores itself in git. Two workers must not process
the same instances unknowingly (DurableTask.AzureStorage guards each instance with ETags and
partition leases); devhost locks the folder instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

APPS = Path(__file__).parent / "apps"


def test_state_defaults_to_the_app_folder_and_a_second_host_is_refused(serve_tools, tmp_path):
    shutil.copy(APPS / "durable_app.py", tmp_path / "durable_app.py")
    args = ["--app-dir", str(tmp_path), "--app", "durable_app", "--port", "0"]
    env = {"DURABLE_APP_DIR": str(tmp_path)}
    host = serve_tools.start(args, env)
    state = tmp_path / ".devhost"
    assert f"State: {state}" in host.output()
    assert (state / "state.sqlite3").exists()
    assert (state / ".gitignore").read_text().splitlines()[-1] == "*"

    second = subprocess.run(
        [sys.executable, "-m", "devhost", "serve", *args],
        cwd=serve_tools.root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1, second.stderr
    assert second.stderr.strip().splitlines() == [
        f"devhost: the state in {state} is in use by another devhost (process "
        f"{host.proc.pid}); stop that one first, or give this one another --state-dir"
    ]
    host.signal(signal.SIGTERM)
    assert host.wait_exit(30) == 0, host.output()
