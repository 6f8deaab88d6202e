"""Shared fixtures of the system tests: Debian's chromium driven by Playwright (`browser`, one per test module),
a JupyterLab started by the README's own `make lab`, a lesson opened in it (`open_lesson`), and the course's
website built once and served on localhost (`site`, `served`, `offline_site`: test_site.py and test_a11y.py)."""

import fcntl
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from lab_server import PANEL, ROOT, free_port, wait_for_kernel, wait_until_up

SITE_FOLDERS = ("course", "exercises", "solutions")
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    """A headless chromium (Playwright cannot download its own browsers here, so it drives Debian's); skipped,
    saying why, on a machine without playwright or chromium."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is a test dependency: make test installs it")
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (Debian: apt-get install chromium; .ci/run does it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


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


@pytest.fixture
def open_lesson(browser, lab, tmp_path):
    """Open a notebook in a fresh page and workspace; wait until its kernel is ready."""
    pages = []

    def open_(path: str, color_scheme: str = "light"):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
        pages.append(page)
        url = re.sub(r"/lab/tree/[^?]+", f"/lab/tree/{path}", lab.url)
        page.goto(url + "&reset")      # ?reset: a fresh workspace, so only this notebook is open
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.context", timeout=60_000)
        assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == path
        page.wait_for_selector(f"{PANEL} .jp-Notebook", timeout=60_000)
        wait_for_kernel(page)
        return page

    yield open_
    for page in pages:
        page.screenshot(path=str(tmp_path / "last.png"))
        page.close()


# ----- the website ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Build the site once a run (as `make site` does, into a temporary folder); the build's report.

    The xdist workers of one run share the build: the first that needs it builds it under a lock and the
    others read it, in a folder named after the notebooks' contents, so a notebook re-executed while the
    tests run gets a build of its own (the pages are compared with the notebooks they were built from)."""
    pytest.importorskip("myst_nb", reason="the site tools are a test dependency: make test installs them")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent          # the run's folder, above each worker's own
    notebooks_built = sorted(f"{folder}/{p.name}" for folder in SITE_FOLDERS
                             for p in (ROOT / folder).glob("[0-9]*.ipynb")
                             if ".nnbook-backup" not in p.name)
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)            # released when the file closes
        for _attempt in range(3):
            texts = {notebook: (ROOT / notebook).read_bytes() for notebook in notebooks_built}
            digest = hashlib.sha256(b"".join(name.encode() + b"\0" + text for name, text in texts.items()))
            out = shared / f"site-{digest.hexdigest()[:16]}" / "site"
            log = out.parent / "build.log"
            if not log.is_file():
                done = subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)],
                                      cwd=ROOT, capture_output=True, text=True, timeout=600)
                assert done.returncode == 0, done.stdout + done.stderr
                log.write_text(done.stdout + done.stderr)
            if all((ROOT / notebook).read_bytes() == texts[notebook] for notebook in notebooks_built):
                break
    report = json.loads((out / "_static" / "nnbook-site.json").read_text())
    report.update(out=out, log=log.read_text(),
                  notebooks={notebook: json.loads(text) for notebook, text in texts.items()})
    return report


@pytest.fixture(scope="session")
def offline_site(site):
    """The site, for the tests that load it in a browser offline: skipped when npm could not fetch an asset
    and the pages load it from a CDN instead."""
    fallback = [name for name, where in site["assets"].items() if where != "local"]
    if fallback:
        pytest.skip(f"npm could not fetch {', '.join(fallback)}: the site loads them from a CDN, and this test "
                    f"runs offline")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler,
                                                                                 directory=str(site["out"])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
