"""Shared fixtures of the system tests: a JupyterLab started by the README's own `make lab`."""

import os
import shutil
import signal
import subprocess

import pytest
from lab_server import ROOT, free_port, wait_until_up


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
        yield wait_until_up(process, port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
