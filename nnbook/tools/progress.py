"""``nnbook progress``: the learner's report card, in a terminal or in a notebook cell.

Runs each of the course's exercise notebooks top to bottom, headless, in a fresh kernel and in memory (the
file on disk is never changed), then reads every check's result from the outputs: each check displays, beside
its HTML and text, a small machine-readable record (mime type ``application/vnd.nnbook.check+json``)::

    {"check": "sse", "status": "failed", "passed": 1, "total": 4, "hint": "that is the mean ..."}

The card always lists the same exercises: the course map's checks, each exactly once per lesson, as passed,
failed (with the check's first hint), not attempted, or could not run (with the reason: the notebook is
missing or unreadable, a cell has a syntax error, a cell hung, the kernel died). Results shown before a
notebook stopped are kept. Other notebooks in ``exercises/`` (``Untitled.ipynb``, a ``-Copy1`` duplicate)
are listed apart and not run, unless named. No server, no database, no network: the notebooks are the record.
"""

from __future__ import annotations

import html
import pathlib
import re
import warnings
from dataclasses import dataclass, field

import nbformat

from nnbook.lessons import palette
from nnbook.tools import course_map
from nnbook.tools.grading import FAILED, MIMETYPE, NOT_ATTEMPTED, PASSED, VERDICT_COLOURS
from nnbook.tools.notebooks import run_notebook

#: A check that could not show its result: its notebook is missing or unreadable, or a cell stopped it.
COULD_NOT_RUN = "could not run"
#: Seconds one cell may run before it is stopped: far longer than any exercise cell needs.
CELL_TIMEOUT = 20
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, COULD_NOT_RUN)


@dataclass
class Exercise:
    """One exercise's line in the report."""

    notebook: str
    check: str
    status: str
    hint: str = ""


@dataclass
class NotebookRun:
    """What running one exercise notebook gave: its exercises, the errors its cells raised, and why it
    stopped early (``""`` when it ran to the end)."""

    notebook: str
    exercises: list[Exercise] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopped: str = ""


@dataclass
class Report:
    """The report card: one line per exercise, the notebooks left out, the total. Shown as text in a
    terminal and as a table in a notebook."""

    runs: list[NotebookRun]
    left_out: list[str] = field(default_factory=list)

    @property
    def exercises(self) -> list[Exercise]:
        return [exercise for run in self.runs for exercise in run.exercises]

    def counts(self) -> dict[str, int]:
        """How many exercises have each status."""
        return {status: sum(exercise.status == status for exercise in self.exercises) for status in STATUSES}

    @property
    def total(self) -> str:
        """``Total: 3 of 17 exercises passed (3 passed, 1 failed, 13 not attempted).``"""
        counts = self.counts()
        parts = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
        return f"Total: {counts[PASSED]} of {len(self.exercises)} exercises passed ({parts})."

    @property
    def notes(self) -> list[str]:
        """The notebooks left out, and any notebook run that holds no check."""
        empty = [run.notebook for run in self.runs if not run.exercises]
        return ([f"Not run (not one of the course's exercise notebooks; name one to run it): "
                 f"{', '.join(self.left_out)}"] if self.left_out else []) + \
            ([f"No checks found in: {', '.join(empty)}"] if empty else [])

    def text(self) -> str:
        exercises = self.exercises
        if not exercises:
            return "\n".join(["No exercises found.", *self.notes])
        width_notebook = max(len(exercise.notebook) for exercise in exercises)
        width_check = max(len(exercise.check) for exercise in exercises)
        lines = [f"{e.notebook:<{width_notebook}}  {e.check:<{width_check}}  {_status_text(e)}" for e in exercises]
        lines += ["", *self.notes, self.total]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colours = {**VERDICT_COLOURS, COULD_NOT_RUN: palette.NEUTRAL}
        rows = "".join(
            f"<tr><td>{html.escape(e.notebook)}</td><td><code>{html.escape(e.check)}</code></td>"
            f'<td style="text-align:left"><span style="{palette.badge_style(colours[e.status])}">'
            f"{html.escape(_status_text(e))}</span></td></tr>"
            for e in self.exercises)
        extra = "".join(f"<p>{html.escape(note)}</p>" for note in self.notes)
        return (f"<table><tr><th>notebook</th><th>exercise</th><th>result</th></tr>{rows}</table>"
                f"{extra}<p><b>{html.escape(self.total)}</b></p>")


def _status_text(exercise: Exercise) -> str:
    return exercise.status + (f": {exercise.hint}" if exercise.hint and exercise.status != PASSED else "")


# ----------------------------------------------------------------------------------------------------
# Reading an executed notebook


def checks_called(source: str) -> list[str]:
    """The checks a cell calls, whatever the module is called: ``checks.sse(sse)`` or ``c.sse(sse)`` give
    ``["sse"]``, and a course check called on a function of another name, ``checks.train_digits(train_epoch)``,
    gives ``["train_digits"]`` (``try_it`` and ``functions_from`` are not checks)."""
    known = set(course_map.all_checks())
    return [name for name, argument in re.findall(r"\b\w+\.(\w+)\(\s*(\w+)\s*\)", source)
            if name == argument or name in known]


def _cell_label(index: int, cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 40 else first[:37] + "..."
    return f"cell {index + 1} ({first})" if first else f"cell {index + 1}"


def _error_text(output) -> str:
    name, value = output.get("ename", "Error"), output.get("evalue", "")
    if name in ("SyntaxError", "IndentationError", "TabError"):   # "invalid syntax (3520014556.py, line 3)"
        value = re.sub(r"\s*\([^()]*\.py, line (\d+)\)$", r" (line \1)", value)
        return f"has a {name}: {value}"
    return f"raised {name}: {value}" if value else f"raised {name}"


def results(notebook: nbformat.NotebookNode, name: str, expected: tuple[str, ...] | None = None,
            stopped: str = "", stopped_at: int | None = None) -> NotebookRun:
    """Read an executed notebook: each check's last displayed result, once per check.

    Args:
        notebook: the notebook after running (cells past ``stopped_at`` did not run).
        name: its name in the report.
        expected: the checks the notebook should show (the course map's); ``None`` for a notebook that is not
            the course's: then the checks it calls or shows.
        stopped, stopped_at: why and in which cell (an index) the run stopped early.
    """
    run = NotebookRun(name, stopped=stopped)
    shown: dict[str, dict] = {}
    called: dict[str, int] = {}
    defined: dict[str, int] = {}
    errors: dict[int, str] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(MIMETYPE)
            if record:
                shown[record["check"]] = record            # a later run of the same check replaces it
            if output.get("output_type") == "error":
                errors[index] = f"{_cell_label(index, cell)} {_error_text(output)}"
                run.errors.append(errors[index])
        for check in checks_called(cell.source):
            called.setdefault(check, index)
        for function in re.findall(r"^def (\w+)\(", cell.source, flags=re.MULTILINE):
            defined.setdefault(function, index)
    names = list(expected) if expected is not None else list(dict.fromkeys([*called, *shown]))
    for check in names:
        record = shown.get(check)
        if record is not None:
            run.exercises.append(Exercise(name, check, record["status"], record.get("hint", "")))
            continue
        cell = called.get(check)
        if stopped and (cell is None or stopped_at is None or cell >= stopped_at):
            reason = stopped
        elif cell is None:
            reason = (f"no cell runs {course_map.check_call(check)}: add that line in a cell below your "
                      f"function (the exercise's check cell may have been deleted)")
        elif defined.get(check) in errors:                 # the function's own cell failed: the real cause
            reason = errors[defined[check]]
        elif cell in errors and "NameError" in errors[cell] and any(index < cell for index in errors):
            reason = errors[min(errors)]                   # a name is missing because an earlier cell failed
        elif cell in errors:
            reason = errors[cell]
        else:
            reason = "its cell showed no result (keep the check as the cell's last line)"
        run.exercises.append(Exercise(name, check, COULD_NOT_RUN, reason))
    return run


# ----------------------------------------------------------------------------------------------------
# Running


def expected_checks(path: pathlib.Path) -> tuple[str, ...] | None:
    """The course map's checks for an exercise notebook named ``NN_slug.ipynb``; ``None`` for any other."""
    for lesson in course_map.LESSONS:
        if lesson.checks and path.name == f"{lesson.stem}.ipynb":
            return lesson.checks
    return None


def run_one(path: str | pathlib.Path, *, cell_timeout: int = CELL_TIMEOUT) -> NotebookRun:
    """Run one exercise notebook in memory and read its checks; never raises for what the notebook holds."""
    path = pathlib.Path(path)
    expected = expected_checks(path)
    if not path.exists():
        return _nothing_ran(path, expected, f"{path} is missing: `nnbook exercises build` writes a fresh copy")
    repair = ("open it in a text editor to repair it, or rename it and run `nnbook exercises build` for a "
              "fresh copy")
    try:
        with warnings.catch_warnings():   # a hand-edited notebook's cells may lack ids: harmless, and no noise
            warnings.simplefilter("ignore")
            notebook = nbformat.read(path, as_version=4)
    except Exception as error:   # noqa: BLE001  a truncated save, a merge conflict, not JSON at all
        return _nothing_ran(path, expected, f"{path.name} cannot be read as a notebook ({type(error).__name__}); "
                                            f"{repair}")
    broken = next((index for index, cell in enumerate(notebook.cells)
                   if not isinstance(cell.get("source"), str) or "cell_type" not in cell), None)
    if broken is not None:   # nbformat joins a list of lines; a missing or numeric source stays as it came
        return _nothing_ran(path, expected, f"{path.name} cannot be read as a notebook (cell {broken + 1} has no "
                                            f"text: its \"source\" is missing or not a string); {repair}")
    started: dict[str, int] = {}
    stopped = ""

    def note_cell(cell, cell_index):
        started["index"] = cell_index

    try:
        run_notebook(notebook, path.parent, timeout=cell_timeout, allow_errors=True, quiet=True,
                     on_cell_start=note_cell)
    except Exception as error:   # noqa: BLE001  a hung cell, a dead kernel: keep what ran before it
        index = started.get("index")
        where = _cell_label(index, notebook.cells[index]) if index is not None else "the notebook"
        kind = type(error).__name__
        if kind == "CellTimeoutError":
            stopped = f"{where} did not finish within {cell_timeout} s and was stopped (an endless loop?)"
        elif kind == "DeadKernelError":
            stopped = f"the kernel died in {where} (did it call exit, or run out of memory?)"
        else:
            stopped = f"running stopped in {where}: {kind}"
        return results(notebook, path.stem, expected, stopped, index)
    return results(notebook, path.stem, expected)


def _nothing_ran(path: pathlib.Path, expected, reason: str) -> NotebookRun:
    return NotebookRun(path.stem, [Exercise(path.stem, check, COULD_NOT_RUN, reason) for check in expected or ()],
                       stopped=reason)


def course_notebooks(exercises: pathlib.Path) -> tuple[list[pathlib.Path], list[str]]:
    """The course's exercise notebooks in ``exercises`` (missing ones included, so they are reported), and the
    names of the other notebooks there (left out of the report)."""
    wanted = [pathlib.Path(exercises) / f"{lesson.stem}.ipynb" for lesson in course_map.LESSONS if lesson.checks]
    names = {path.name for path in wanted}
    others = sorted(path.name for path in pathlib.Path(exercises).glob("*.ipynb")
                    if path.name not in names and ".nnbook-backup" not in path.name)
    return wanted, others


def run(paths=None, *, exercises: str | pathlib.Path | None = None, cell_timeout: int = CELL_TIMEOUT,
        say=None) -> Report:
    """The report card: run ``paths`` (default: the course's exercise notebooks in ``exercises``).

    Args:
        paths: notebooks to run, any names; ``None`` for the course's.
        exercises: the exercises folder (default: the course folder's, found from the current folder).
        cell_timeout: seconds a cell may run before it is stopped.
        say: called with a line as each notebook starts (the command prints it).
    """
    left_out: list[str] = []
    if paths is None:
        folder = pathlib.Path(exercises) if exercises is not None else course_map.course_folder() / "exercises"
        paths, left_out = course_notebooks(folder)
    runs = []
    for path in map(pathlib.Path, paths):
        if say:
            say(f"running {path} ...")
        runs.append(run_one(path, cell_timeout=cell_timeout))
    return Report(runs, left_out)


def report(paths=None, *, exercises: str | pathlib.Path | None = None, cell_timeout: int = CELL_TIMEOUT) -> Report:
    """The report card from a notebook cell: ``from nnbook.tools import progress; progress.report()``.

    Shown as a table; the same as ``nnbook progress`` prints in a terminal. Takes a minute or so: each exercise
    notebook runs in its own kernel.
    """
    return run(paths, exercises=exercises, cell_timeout=cell_timeout)
