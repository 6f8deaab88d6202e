"""A JupyterLab started by the README's own `make lab` (the `lab` fixture in conftest.py): waiting for it to
answer, and a plain HTTP GET to ask it things."""

import pathlib
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import NamedTuple

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"       # the notebook on screen (hidden tabs stay in the DOM)


class Lab(NamedTuple):
    """A running `make lab`: the address it printed, its token, and its base URL on 127.0.0.1."""

    url: str
    lesson: str
    token: str
    base: str
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str) -> tuple[int, str]:
    """(status, body) of a GET; status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_until_up(process: subprocess.Popen, port: int, seconds: float = 90) -> Lab:
    """The running lab, once `make lab` has printed its lesson address and the server answers."""
    printed, match = "", None
    deadline = time.monotonic() + seconds
    while match is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        printed += line
        match = re.search(rf"http://localhost:{port}/lab/tree/(\S+)\?token=(\w+)", line)
    assert match, f"make lab printed no lesson address:\n{printed}"
    base = f"http://127.0.0.1:{port}"
    lesson, token = match.groups()
    while time.monotonic() < deadline:
        if http_get(f"{base}/api/status?token={token}")[0] == 200:
            return Lab(match.group(0), lesson, token, base, process)
        assert process.poll() is None, f"JupyterLab stopped:\n{printed}{process.stdout.read()}"
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer on localhost within {seconds} s")


def wait_for_kernel(page):
    """Wait until the notebook's kernel is connected and idle (the toolbar says idle too early)."""
    page.wait_for_function(
        """() => {
            const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const session = widget && widget.sessionContext;
            const kernel = session && session.session && session.session.kernel;
            return !!(session && session.isReady && kernel && kernel.connectionStatus === 'connected'
                      && kernel.status === 'idle');
        }""",
        timeout=60_000,
    )
