"""Shared fixtures: a JupyterLab started by the README's own `make lab`."""

import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import NamedTuple

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Run `make lab` on a free port (no browser, private settings) until it answers; stop it afterwards."""
    tmp_path = tmp_path_factory.mktemp("lab")
    if shutil.which("make") is None:
        pytest.skip("make is not installed; README documents the plain-pip route for such machines")
    port = free_port()
    # Keep the learner's own JupyterLab settings and workspaces out of it; no browser of its own.
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # A browser test runs the lessons; autosave must never write those outputs back into the repo.
    docmanager = tmp_path / "settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    # JupyterLab 4 leaves cells outside the view empty; a test that reads every output needs them all drawn.
    notebook = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --LabApp.user_settings_dir={tmp_path / 'settings'} "
                f"--LabApp.workspaces_dir={tmp_path / 'workspaces'} "
                f"--LabApp.expose_app_in_browser=True")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"PORT={port}", f"LAB_ARGS={lab_args}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        yield _wait_until_up(process, port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _wait_until_up(process: subprocess.Popen, port: int, seconds: float = 90) -> Lab:
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
