"""What `--strict` watches and whose code a frame runs, and its flag.

The module under test: devhost/work/strict_targets.py.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import azure.durable_functions
import pytest
import requests

from devhost.__main__ import parse_args
from devhost.work import strict_targets as t


@pytest.mark.parametrize(
    ("filename", "owner"),
    [
        (__file__, t.Owner.APP),
        (random.__file__, t.Owner.THROUGH),
        ("<frozen os>", t.Owner.THROUGH),
        ("<frozen importlib._bootstrap>", t.Owner.HOST),
        (logging.__file__, t.Owner.HOST),
        (azure.durable_functions.__file__, t.Owner.HOST),
        (t.__file__, t.Owner.HOST),
        (requests.__file__, t.Owner.LIBRARY),
        (str(Path(pytest.__file__).parent / "x.py"), t.Owner.LIBRARY),
        ("<string>", t.Owner.LIBRARY),
    ],
)
def test_frames_are_classified_as_app_wrapper_library_or_host(filename, owner):
    """The SDK, devhost, logging and imports are the host's own work: never reported."""
    assert t.owner(filename) is owner


@pytest.mark.parametrize(
    ("event", "args", "shown"),
    [
        ("socket.connect", (None, ("127.0.0.1", 7071)), "socket.connect 127.0.0.1:7071"),
        (
            "socket.getaddrinfo",
            (b"example.org", 443, 0, 0, 0),
            "socket.getaddrinfo example.org:443",
        ),
        ("open", ("/etc/hosts", "r", 0), "open /etc/hosts (r)"),
        ("open", ("/etc/hosts", None, 0), "open /etc/hosts (os.open)"),
        ("os.system", ("curl -H 'Authorization: secret' x",), "os.system curl"),
        (
            "subprocess.Popen",
            (None, ["tool", "--token", "secret"], None, None),
            "subprocess.Popen tool",
        ),
    ],
)
def test_what_happened_is_short_and_never_shows_command_arguments(event, args, shown):
    assert t.describe(event, args) == shown


@pytest.mark.parametrize(
    ("argv", "strict"),
    [([], None), (["--strict"], "warn"), (["--strict=warn"], "warn"), (["--strict=fail"], "fail")],
)
def test_serve_strict_flag(argv, strict):
    assert parse_args(["serve", *argv]).strict == strict


def test_serve_strict_flag_rejects_other_values(capsys):
    with pytest.raises(SystemExit):
        parse_args(["serve", "--strict=maybe"])
    assert "invalid choice: 'maybe'" in capsys.readouterr().err
