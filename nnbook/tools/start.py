"""``nnbook start [DIR]``: the course copied out of the installed package into DIR, then opened in JupyterLab.

A wheel carries the lessons, exercises and solutions as ``nnbook/notebooks/<folder>/NN_slug.ipynb`` (setup.py
puts them there); an editable install or a clone has them at the top of the checkout. :func:`copy_course`
writes them to ``DIR/course``, ``DIR/exercises`` and ``DIR/solutions``, so the lessons' ``../exercises/`` links
work, with the rule ``nnbook exercises build`` follows: a notebook the learner has changed is never replaced
(``--force`` replaces it and keeps theirs beside it as ``NN_slug.nnbook-backup.ipynb``); one they only ran is
kept too; a missing one is added. Then the notebooks are trusted (their saved widgets draw), the course's
JupyterLab settings are installed, and JupyterLab opens lesson 00 without reaching the network.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import secrets
import subprocess
import sys

import nbformat
from nbformat.sign import NotebookNotary

from nnbook.tools.exercises import COURSE_NAME, content_hash, place, render

FOLDERS = ("course", "exercises", "solutions")
LESSON = "course/00_start_here.ipynb"
DEFAULT_FOLDER = "nnbook-course"
#: The course's JupyterLab settings (no news prompt, no update check), merged into the environment's
#: ``share/jupyter/lab/settings/overrides.json``.
LAB_SETTINGS = pathlib.Path(__file__).with_name("jupyterlab_overrides.json")
#: The course never reaches the network: no news feed, no update check, no extension index.
OFFLINE = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]


def course_source() -> pathlib.Path:
    """The folder holding ``course/``, ``exercises/`` and ``solutions/``: the installed package's
    ``nnbook/notebooks/``, or the checkout ``nnbook/`` was installed from in editable mode."""
    package = pathlib.Path(__file__).resolve().parents[1]
    for folder in (package / "notebooks", package.parent):
        if all((folder / name).is_dir() for name in FOLDERS):
            return folder
    raise FileNotFoundError(f"the course's notebooks are not installed with nnbook (looked in {package / 'notebooks'}"
                            f" and {package.parent}): reinstall it from a wheel or a clone")


def copied_text(path: pathlib.Path, folder: str) -> str:
    """The notebook at ``path`` as ``nnbook start`` writes it: exercises as generated, lessons and solutions
    with the hash of their cell sources recorded (``nnbook.content_hash``), so a later run can tell whether the
    learner changed them."""
    text = path.read_text(encoding="utf-8")
    if folder == "exercises":
        return text
    notebook = nbformat.reads(text, as_version=4)
    notebook.metadata["nnbook"] = {"copied_from": f"{folder}/{path.name}", "content_hash": content_hash(notebook)}
    return render(notebook)


def copy_course(source: pathlib.Path, target: pathlib.Path, *, force: bool = False, say=print) -> dict[str, int]:
    """Copy every numbered notebook of ``source``'s three folders into ``target``'s; return how many notebooks
    were ``created``, ``updated``, ``unchanged``, ``kept`` (the learner's changes) and ``replaced``.

    Each notebook goes through :func:`nnbook.tools.exercises.place`; only what changed is said.
    """
    counts = dict.fromkeys(("created", "updated", "unchanged", "kept", "replaced"), 0)

    def tell(line: str) -> None:
        word = line.split()[0]
        counts[word] += 1
        if word != "unchanged":
            say(line)

    for folder in FOLDERS:
        (target / folder).mkdir(parents=True, exist_ok=True)
        for path in sorted((source / folder).glob("*.ipynb")):
            if COURSE_NAME.fullmatch(path.name):
                place(target / folder / path.name, copied_text(path, folder), force=force, say=tell,
                      forced_by=f"nnbook start {target} --force")
    return counts


def trust(folder: pathlib.Path) -> int:
    """Sign every course notebook under ``folder`` as trusted (what ``jupyter trust`` does): the notebooks'
    outputs were stored by a headless run, and JupyterLab draws the saved widgets only of a trusted notebook.
    Return how many were newly signed; an unreadable notebook is left as it is."""
    notary = NotebookNotary()
    signed = 0
    for name in FOLDERS:
        for path in sorted((folder / name).glob("*.ipynb")):
            try:
                notebook = nbformat.read(path, as_version=4)
            except Exception:   # a learner's notebook cut short: JupyterLab will say so when it is opened
                continue
            if not notary.check_signature(notebook):
                notary.sign(notebook)
                signed += 1
    return signed


def install_lab_settings(prefix: str | os.PathLike = sys.prefix) -> pathlib.Path:
    """Merge the course's JupyterLab settings into ``<prefix>/share/jupyter/lab/settings/overrides.json``,
    keeping any other setting there; return that file. Raises ``OSError`` when it cannot be written."""
    path = pathlib.Path(prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    ours = json.loads(LAB_SETTINGS.read_text(encoding="utf-8"))
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    for plugin, values in ours.items():
        settings[plugin] = {**settings.get(plugin, {}), **values}
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def lab_command(folder: pathlib.Path, *, port: int, token: str, extra: list[str] = ()) -> list[str]:
    """The JupyterLab command that serves ``folder`` with lesson 00 as its start page.

    Rooted at the course folder (rooted at ``course/``, the ``../exercises`` links would break); the token is
    ours, so the lesson's own address can be printed; ``--port-retries=0``: that address must be the real one,
    so a busy port is an error. As root (containers, Binder-like hosts) JupyterLab needs ``--allow-root``.
    """
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
               f"--ServerApp.default_url=/lab/tree/{LESSON}", f"--port={port}", "--port-retries=0",
               f"--IdentityProvider.token={token}", *OFFLINE]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return [*command, *extra]


def lesson_address(port: int, token: str) -> str:
    """The address of lesson 00 in the JupyterLab that :func:`lab_command` starts."""
    return f"http://localhost:{port}/lab/tree/{LESSON}?token={token}"


def start(folder: str | os.PathLike = DEFAULT_FOLDER, *, lab: bool = True, port: int = 8888, force: bool = False,
          lab_args: list[str] = (), say=print) -> int:
    """``nnbook start``: copy the course into ``folder`` (unless it is the course's own source), trust its
    notebooks, install the JupyterLab settings, then replace this process with JupyterLab (unless not ``lab``).
    Return an exit status: 0, or 1 with a one-line reason."""
    target = pathlib.Path(folder)
    if target.exists() and not target.is_dir():
        say(f"nnbook start: {target} is a file, not a folder: give a folder for the course (default "
            f"./{DEFAULT_FOLDER})")
        return 1
    try:
        source = course_source()
    except FileNotFoundError as error:
        say(f"nnbook start: {error}")
        return 1
    try:
        if target.resolve() == source.resolve():
            say(f"nnbook: the course is here, in {target.resolve()}")
        else:
            counts = copy_course(source, target, force=force, say=say)
            kept = f"; {counts['kept']} you changed were kept" if counts["kept"] else ""
            say(f"nnbook: the course is in {target}: {counts['created']} notebooks added, {counts['updated']} "
                f"updated, {counts['unchanged'] + counts['kept']} already there{kept}")
        trust(target)
    except OSError as error:
        say(f"nnbook start: could not write the course into {target}: {error}")
        return 1
    try:
        install_lab_settings()
    except OSError as error:   # a read-only system install: JupyterLab runs, and may offer its news feed
        say(f"nnbook: note: JupyterLab's course settings were not installed ({error})")
    if not lab:
        say(f"Open it with `nnbook start {folder}`.")
        return 0
    if importlib.util.find_spec("jupyterlab") is None:
        say("nnbook start: JupyterLab is not installed in this environment: `pip install jupyterlab`, or use "
            "--no-lab to copy the course only")
        return 1
    token = secrets.token_hex(24)
    command = lab_command(target.resolve(), port=port, token=token, extra=list(lab_args))
    say(f"\nnbook: JupyterLab is starting. Open lesson 00 at:\n    {lesson_address(port, token)}\n")
    sys.stdout.flush()
    if os.name == "nt":   # Windows has no exec: JupyterLab runs as a child until it stops
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0   # not reached
