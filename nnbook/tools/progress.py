"""``nnbook progress``: the learner's report card.

Runs each exercise notebook top to bottom, headless, in a fresh kernel and in memory (the file on disk
is never changed), then reads every check's result from the outputs: each check displays, beside its
HTML and text, a small machine-readable record (mime type ``application/vnd.nnbook.check+json``)::

    {"check": "sse", "status": "failed", "passed": 1, "total": 4, "hint": "that is the mean ..."}

and prints one line per exercise (passed, failed with the check's first hint, or not attempted) and a
total. No server, no database, no network: the notebooks are the record.
"""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass, field

import nbformat

from nnbook.tools.grading import FAILED, MIMETYPE, NOT_ATTEMPTED, PASSED
from nnbook.tools.notebooks import run_notebook

#: A check whose cell raised before the check could show its result.
NOT_RUN = "did not run"


@dataclass
class Exercise:
    """One exercise's line in the report."""

    notebook: str
    check: str
    status: str
    hint: str = ""


@dataclass
class NotebookRun:
    """What running one exercise notebook gave: its exercises and the errors its cells raised."""

    notebook: str
    exercises: list[Exercise] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def checks_called(source: str) -> list[str]:
    """The checks a cell calls: ``checks.one_hot(one_hot)`` -> ``["one_hot"]`` (``try_it`` is not one)."""
    return [name for name in re.findall(r"\bchecks\.(\w+)\(", source) if name != "try_it"]


def results(notebook: nbformat.NotebookNode, name: str) -> NotebookRun:
    """Read an executed notebook: each check called, with the result it displayed."""
    run = NotebookRun(name)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        shown, error = {}, ""
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(MIMETYPE)
            if record:
                shown[record["check"]] = record
            if output.get("output_type") == "error":
                error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                run.errors.append(error)
        for check in checks_called(cell.source):
            record = shown.get(check)
            if record is None:
                hint = (f"its cell stopped with {error}" if error
                        else "its cell showed no result (keep the check as the cell's last line)")
                run.exercises.append(Exercise(name, check, NOT_RUN, hint))
            else:
                run.exercises.append(Exercise(name, check, record["status"], record.get("hint", "")))
    return run


def run(paths, *, timeout: int = 120, say=None) -> list[NotebookRun]:
    """Execute each notebook in a fresh kernel, in memory (never written back), and read its checks.

    ``say``, when given, is called with a line as each notebook starts (the command prints it).
    """
    runs = []
    for path in map(pathlib.Path, paths):
        if say:
            say(f"running {path} ...")
        notebook = nbformat.read(path, as_version=4)
        try:
            run_notebook(notebook, path.parent, timeout=timeout, allow_errors=True)
        except Exception as error:   # a cell past the timeout, a dead kernel: report, go on
            stopped = NotebookRun(path.stem, errors=[f"{type(error).__name__}: {error}"])
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    stopped.exercises += [Exercise(path.stem, check, NOT_RUN,
                                                   f"the notebook could not run: {type(error).__name__}")
                                          for check in checks_called(cell.source)]
            runs.append(stopped)
            continue
        runs.append(results(notebook, path.stem))
    return runs


def report(runs: list[NotebookRun]) -> str:
    """The report card as text: one line per exercise, then the total."""
    exercises = [exercise for notebook in runs for exercise in notebook.exercises]
    if not exercises:
        return "No exercises found."
    width_notebook = max(len(exercise.notebook) for exercise in exercises)
    width_check = max(len(exercise.check) for exercise in exercises)
    lines = []
    for exercise in exercises:
        status = exercise.status + (f": {exercise.hint}" if exercise.hint and exercise.status != PASSED else "")
        lines.append(f"{exercise.notebook:<{width_notebook}}  {exercise.check:<{width_check}}  {status}")
    counts = {status: sum(exercise.status == status for exercise in exercises)
              for status in (PASSED, FAILED, NOT_ATTEMPTED, NOT_RUN)}
    total = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    lines += ["", f"Total: {counts[PASSED]} of {len(exercises)} exercises passed ({total})."]
    return "\n".join(lines)
