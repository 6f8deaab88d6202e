"""nnbook progress on a learner's copy of exercises/: one exercise solved, one wrong, the rest untouched.

This is the suite's one kernel-level test of the exercises: it also shows that a freshly generated
exercise notebook runs top to bottom without an error, every check saying "not attempted". It starts a
kernel per notebook (about 8 s), so it lives here rather than in tests/unit/test_progress.py.
"""

from __future__ import annotations

import pathlib
import re
import shutil

import nbformat

from nnbook.tools import course_map, exercises, progress

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_progress_reports_passed_failed_and_not_attempted_without_touching_the_notebooks(tmp_path):
    for path in exercises.notebooks_in(REPO / "exercises"):
        shutil.copy(path, tmp_path / path.name)
    notebooks = exercises.notebooks_in(tmp_path)
    one_hot_path, sse_path = tmp_path / "02_labels_and_one_hot.ipynb", tmp_path / "03_loss_functions.ipynb"

    # The learner solves one_hot (with the solution's code) and gets sse wrong (a mean, not a sum).
    solved = nbformat.read(one_hot_path, 4)
    solution = nbformat.read(REPO / "solutions" / one_hot_path.name, 4)
    answer = {cell.id: cell.source for cell in solution.cells}
    for cell in solved.cells:
        if "raise NotImplementedError" in cell.source:
            cell.source = answer[cell.id]
    nbformat.write(solved, one_hot_path)
    wrong = nbformat.read(sse_path, 4)
    for cell in wrong.cells:
        if cell.source.startswith("def sse("):
            cell.source = cell.source.split("# YOUR CODE HERE")[0] + "return float(np.mean((y_true - y_pred) ** 2))\n"
    nbformat.write(wrong, sse_path)
    before = {path: path.read_bytes() for path in notebooks}

    card = progress.run(exercises=tmp_path, cell_timeout=60)   # the course's notebooks, found by name
    runs = card.runs

    assert {path: path.read_bytes() for path in notebooks} == before          # nothing written back
    assert all(run.errors == [] for run in runs), [run.errors for run in runs]  # top to bottom, no error
    lines = {(exercise.notebook, exercise.check): exercise for run in runs for exercise in run.exercises}
    assert lines[("02_labels_and_one_hot", "one_hot")].status == "passed"
    sse = lines[("03_loss_functions", "sse")]
    assert sse.status == "failed" and "mean of the squared errors" in sse.hint
    untouched = [exercise for key, exercise in lines.items() if key[1] not in ("one_hot", "sse")]
    assert untouched and all(exercise.status == "not attempted" for exercise in untouched)

    report = card.text()
    assert re.search(r"^02_labels_and_one_hot +one_hot +passed$", report, flags=re.MULTILINE)
    assert len(lines) == sum(len(lesson.checks) for lesson in course_map.LESSONS)      # every exercise, once
    assert f"Total: 1 of {len(lines)} exercises passed (1 passed, 1 failed, {len(lines) - 2} not attempted)." \
        in report


def test_a_hung_cell_and_a_dead_kernel_keep_the_results_before_them_and_print_no_noise(tmp_path, capfd):
    def write(name, *sources):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
        nbformat.write(nb, tmp_path / name)
        return tmp_path / name

    solved_sse = "def sse(y_true, y_pred):\n    return float(((y_true - y_pred) ** 2).sum())"
    hung = write("03_loss_functions.ipynb", "from nnbook import checks", solved_sse, "checks.sse(sse)",
                 "while True:\n    pass", "checks.mse(mse)")
    died = write("04_gradient_descent.ipynb", "from nnbook import checks as c",
                 "def update_weight(w, gradient, learning_rate):\n    return w - learning_rate * gradient",
                 "c.update_weight(update_weight)", "import os\nos._exit(1)", "c.gradient_descent(gradient_descent)")
    card = progress.run([hung, died], cell_timeout=3)
    result = {(e.notebook, e.check): (e.status, e.hint) for e in card.exercises}
    assert result[("03_loss_functions", "sse")] == ("passed", "")
    assert result[("03_loss_functions", "mse")] == (
        "could not run", "cell 4 (while True:) did not finish within 3 s and was stopped (an endless loop?)")
    assert result[("04_gradient_descent", "update_weight")] == ("passed", "")
    assert result[("04_gradient_descent", "gradient_descent")] == (
        "could not run", "the kernel died in cell 4 (import os) (did it call exit, or run out of memory?)")
    assert card.total == "Total: 2 of 4 exercises passed (2 passed, 2 could not run)."
    noise = capfd.readouterr()
    assert "WARNING" not in noise.err + noise.out and "Traceback" not in noise.err + noise.out, noise
