"""nnbook progress on a learner's copy of exercises/: one exercise solved, one wrong, the rest untouched.

This is the suite's one kernel-level test of the exercises: it also shows that a freshly generated
exercise notebook runs top to bottom without an error, every check saying "not attempted". It starts a
kernel per notebook (about 8 s), so it lives here rather than in tests/unit/test_progress.py.
"""

from __future__ import annotations

import pathlib
import shutil

import nbformat

from nnbook.tools import exercises, progress

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_progress_reports_passed_failed_and_not_attempted_without_touching_the_notebooks(tmp_path):
    for path in exercises.notebooks_in(REPO / "exercises"):
        shutil.copy(path, tmp_path / path.name)
    notebooks = exercises.notebooks_in(tmp_path)
    assert [path.name for path in notebooks[:2]] == ["02_labels_and_one_hot.ipynb", "03_loss_functions.ipynb"]

    # The learner solves one_hot (with the solution's code) and gets sse wrong (a mean, not a sum).
    solved = nbformat.read(notebooks[0], 4)
    solution = nbformat.read(REPO / "solutions" / notebooks[0].name, 4)
    answer = {cell.id: cell.source for cell in solution.cells}
    for cell in solved.cells:
        if "raise NotImplementedError" in cell.source:
            cell.source = answer[cell.id]
    nbformat.write(solved, notebooks[0])
    wrong = nbformat.read(notebooks[1], 4)
    for cell in wrong.cells:
        if cell.source.startswith("def sse("):
            cell.source = cell.source.split("# YOUR CODE HERE")[0] + "return float(np.mean((y_true - y_pred) ** 2))\n"
    nbformat.write(wrong, notebooks[1])
    before = {path: path.read_bytes() for path in notebooks}

    runs = progress.run(notebooks, timeout=60)

    assert {path: path.read_bytes() for path in notebooks} == before          # nothing written back
    assert all(run.errors == [] for run in runs), [run.errors for run in runs]  # top to bottom, no error
    lines = {(exercise.notebook, exercise.check): exercise for run in runs for exercise in run.exercises}
    assert lines[("02_labels_and_one_hot", "one_hot")].status == "passed"
    sse = lines[("03_loss_functions", "sse")]
    assert sse.status == "failed" and "mean of the squared errors" in sse.hint
    untouched = [exercise for key, exercise in lines.items() if key[1] not in ("one_hot", "sse")]
    assert untouched and all(exercise.status == "not attempted" for exercise in untouched)

    report = progress.report(runs)
    assert "02_labels_and_one_hot  one_hot" in report
    assert f"Total: 1 of {len(lines)} exercises passed (1 passed, 1 failed, {len(lines) - 2} not attempted)." \
        in report
