"""``nnbook start [DIR]``: the course copied out of the installed package into DIR, then opened in JupyterLab.

A wheel carries the lessons, exercises and solutions as ``nnbook/notebooks/<folder>/NN_slug.ipynb`` (setup.py
puts them there); an editable install or a clone has them at the top of the checkout. :func:`copy_course`
writes them to ``DIR/course``, ``DIR/exercises`` and ``DIR/solutions``, so the lessons' ``../exercises/`` links
work, with the rule ``nnbook exercises build`` follows: a notebook the learner has changed is never replaced
(``--force`` replaces it and keeps theirs beside it as ``NN_slug.nnbook-backup.ipynb``); one they only ran is
kept too; a missing one is added. Then the notebooks are trusted (their saved widgets draw), the course's
JupyterLab settings are installed, and JupyterLab opens lesson 00 without reaching the network.

JupyterLab is the ``lab`` extra (``pip install "nnbook[lab]"``). A hosted notebook (Colab, a JupyterHub that
opens one notebook) needs none: :func:`here`, run in the notebook's first cell (:func:`first_cell` writes that
cell), copies the course beside the notebook and moves the kernel into the notebook's folder, as JupyterLab
would have, so the relative links, ``checks.functions_from`` and ``progress.report()`` find what they read.
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
#: What a hosted notebook's first cell installs when nnbook is missing: the course's repository.
REQUIREMENT = "nnbook @ git+https://github.com/nnbook/nnbook"
#: How a learner with the course but without JupyterLab gets it.
LAB_EXTRA = 'pip install "nnbook[lab]"'
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
        if has_lab():
            install_lab_settings()
    except OSError as error:   # a read-only system install: JupyterLab runs, and may offer its news feed
        say(f"nnbook: note: JupyterLab's course settings were not installed ({error})")
    if not lab:
        say(f"Open it with `nnbook start {folder}`.")
        return 0
    if not has_lab():
        say(f"nnbook start: the course is copied, but JupyterLab is not installed in this environment: "
            f"`{LAB_EXTRA}` adds it, then run `nnbook start {folder}` again. Without it, open the notebooks in "
            f"any Jupyter front end; on a hosted notebook such as Colab, see README.md, 'Run it in Colab'.")
        return 1
    token = secrets.token_hex(24)
    command = lab_command(target.resolve(), port=port, token=token, extra=list(lab_args))
    say(f"\nnbook: JupyterLab is starting. Open lesson 00 at:\n    {lesson_address(port, token)}\n")
    sys.stdout.flush()
    if os.name == "nt":   # Windows has no exec: JupyterLab runs as a child until it stops
        return subprocess.call(command)
    os.execv(command[0], command)
    return 0   # not reached


def has_lab() -> bool:
    """True when JupyterLab (the ``lab`` extra) is installed in this environment."""
    return importlib.util.find_spec("jupyterlab") is not None


def fetch_here(folder: str | os.PathLike = ".", *, say=print) -> pathlib.Path | None:
    """The course copied into ``folder``, unless a course folder is already there or above it (a clone, Binder,
    an earlier copy): then nothing is copied. Return the course folder, or ``None`` when it could not be
    written (the reason is said). ``nnbook start --here`` runs it in the current folder."""
    from nnbook.tools.course_map import course_folder

    target = pathlib.Path(folder)
    try:
        found = course_folder(target)
    except FileNotFoundError:
        found = None
    if found is not None:
        say(f"nnbook: the course is already here, in {found}: nothing to copy")
        return found
    try:
        counts = copy_course(course_source(), target, say=say)
        trust(target)
    except OSError as error:   # no course in the package (FileNotFoundError), or an unwritable folder
        say(f"nnbook: could not copy the course into {target.resolve()}: {error}")
        return None
    say(f"nnbook: the course is in {target.resolve()}: {counts['created']} notebooks added (course/, exercises/, "
        f"solutions/)")
    return target.resolve()


def here(folder: str | None = None, *, into: str | os.PathLike = ".", say=print) -> pathlib.Path:
    """A hosted notebook's first cell: the course beside this notebook, and the kernel in the notebook's folder.

    ``folder`` is where this notebook belongs in the course: ``"course"`` for a lesson, ``"exercises"`` or
    ``"solutions"``. The course is copied into ``into`` (default: the current folder; on Colab a folder of
    your Google Drive keeps your saved work) unless a course folder is already there or above, as in a clone or
    JupyterLab, where nothing changes. A kernel that is not already in one of the course's folders then moves
    into ``folder``, where JupyterLab would have started it, so ``checks.functions_from("05_backpropagation.ipynb",
    ...)`` reads exercises/05 and ``progress.report()`` finds exercises/. Returns the course folder.

    Raises ValueError for a ``folder`` that is not one of the course's three, OSError when the course cannot
    be written.
    """
    if folder is not None and folder not in FOLDERS:
        raise ValueError(f"folder must be one of {', '.join(repr(name) for name in FOLDERS)} (where this notebook "
                         f"belongs in the course), or None, got {folder!r}")
    if not isinstance(into, (str, os.PathLike)):
        raise TypeError(f"into must be a folder's path, got {type(into).__name__}")
    root = fetch_here(into, say=say)
    if root is None:
        raise OSError(f"the course could not be copied into {pathlib.Path(into).resolve()}")
    if folder is not None and root not in pathlib.Path.cwd().resolve().parents:   # not already in one of its folders
        os.chdir(root / folder)
        say(f"nnbook: this notebook now works in {root / folder}, as it would in JupyterLab")
    return root


def first_cell(folder: str, requirement: str = REQUIREMENT) -> str:
    """The first cell of a notebook opened alone on a hosted runtime (Colab and the like): install nnbook when it
    is missing, then :func:`here`. Where nnbook and the course are already there it installs and copies
    nothing, so the same cell is harmless in JupyterLab."""
    if folder not in FOLDERS:
        raise ValueError(f"folder must be one of {', '.join(repr(name) for name in FOLDERS)}, got {folder!r}")
    return ("# On Colab or another hosted notebook, run this cell first: it installs nnbook and copies the course\n"
            "# beside this notebook. Where both are already there (JupyterLab, Binder) it changes nothing.\n"
            "try:\n"
            "    import nnbook\n"
            "except ImportError:\n"
            f"    %pip install --quiet \"{requirement}\"\n"
            "from nnbook.tools.start import here\n"
            f'here("{folder}")')
