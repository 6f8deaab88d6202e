"""The classroom route with real nbgrader: `nnbook nbgrader`, then nbgrader's own generate, autograde, validate.

nbgrader lives in its own environment, `.venv-installed` (the course's wheel, not editable, with nbgrader:
installed beside the learners' course it would add its extensions to their JupyterLab); `make test` creates
it. Two assignments, three submissions each: solved (full marks), unsolved (zero) and one usual mistake
(partial), scores read from nbgrader's gradebook.
"""

from __future__ import annotations

import html.parser
import json
import os
import pathlib
import re
import subprocess

import nbformat
import pytest

from nnbook import checks
from nnbook.tools import grading, nbgrader_course

REPO = pathlib.Path(__file__).resolve().parents[2]
NBGRADER_BIN = REPO / ".venv-installed" / "bin"
ASSIGNMENTS = {   # assignment -> the function a student gets wrong, and the usual mistake they make
    "03_loss_functions": ("sse", "def sse(y_true, y_pred):\n    return float(((y_true - y_pred) ** 2).mean())\n"),
    # (the solution's gradient_descent calls update_weight, so the mistake goes in gradient_descent: w0 left out)
    "04_gradient_descent": ("gradient_descent",
                            "def gradient_descent(gradient_fn, w0, learning_rate, steps):\n"
                            "    w, path = w0, []\n"
                            "    for _ in range(steps):\n"
                            "        w = update_weight(w, gradient_fn(w), learning_rate)\n"
                            "        path.append(w)\n"
                            "    return path\n"),
}

pytestmark = pytest.mark.skipif(not (NBGRADER_BIN / "nbgrader").exists(),
                                reason="nbgrader's environment .venv-installed is missing: `make test` creates it")


def nbgrader(course, *args):
    """Run nbgrader in its environment (it calls alembic by name, so its bin/ goes first on PATH)."""
    env = dict(os.environ, PATH=f"{NBGRADER_BIN}{os.pathsep}{os.environ['PATH']}")
    env.pop("NBGRADER_EXECUTION", None)
    return subprocess.run([NBGRADER_BIN / "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=120)


def scores(course, assignments):
    """Each assignment's students' (score, max score), read from the gradebook by nbgrader's own API (in one
    process: importing nbgrader takes seconds)."""
    script = ("import json, sys\nfrom nbgrader.api import Gradebook\n"
              "with Gradebook('sqlite:///gradebook.db') as gb:\n"
              "    print(json.dumps({a: {s.student.id: [s.score, s.max_score] "
              "for s in gb.assignment_submissions(a)} for a in sys.argv[1:]}))\n")
    out = subprocess.run([NBGRADER_BIN / "python", "-c", script, *assignments], cwd=course, capture_output=True,
                         text=True, check=True)
    return {assignment: {student: tuple(pair) for student, pair in students.items()}
            for assignment, students in json.loads(out.stdout).items()}


def submit(course, student, assignment, notebook):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


def answered(released, source, wrong=None):
    """The released notebook with the source's solutions written in; ``wrong`` = (function, code) replaces one."""
    notebook = nbformat.from_dict(json.loads(json.dumps(released)))
    solutions = {cell.id: cell.source for cell in source.cells}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = solutions[cell.id]
            if wrong and cell.source.startswith(f"def {wrong[0]}("):
                cell.source = wrong[1]
    return notebook


class _Text(html.parser.HTMLParser):
    """A page's text as a reader sees it (no <style> or <script>); ``errors`` holds each error output's text."""

    def __init__(self):
        super().__init__()
        self.parts, self.errors, self._skip, self._error = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        if tag == "div" and "output_error" in (dict(attrs).get("class") or ""):
            self._error = []

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")
        if tag == "pre" and self._error is not None:
            self.errors.append("".join(self._error))
            self._error = None

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._error is not None:
                self._error.append(data)


def page_text(path):
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts), parser.errors


def without_stubs(source):
    lines = [line for line in source.splitlines()
             if line.strip() != "# YOUR CODE HERE" and not line.strip().startswith(("raise NotImplementedError",
                                                                                    "# Graded: "))]
    return "\n".join(lines)


def test_export_generate_autograde_feedback_and_validate_with_real_nbgrader(tmp_path, monkeypatch):
    course = tmp_path / "course"
    nbgrader_course.write_course(REPO / "solutions", course)
    full_marks = {}
    for assignment, wrong in ASSIGNMENTS.items():
        result = nbgrader(course, "generate_assignment", assignment, "--force")
        assert result.returncode == 0, result.stderr[-3000:]
        released = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", 4)
        source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", 4)

        # The student's notebook is the course's exercise notebook, apart from the stubs' text, the graded
        # cells' points line and the links that now say where the lesson is.
        exercise = nbformat.read(REPO / "exercises" / f"{assignment}.ipynb", 4)
        assert [cell.cell_type for cell in released.cells] == [cell.cell_type for cell in exercise.cells]
        for mine, theirs in zip(released.cells, exercise.cells):
            if mine.cell_type == "code":
                assert without_stubs(mine.source) == without_stubs(theirs.source)
            else:
                assert mine.source == nbgrader_course._rewrite_links(theirs.source)
        points = [cell.metadata["nbgrader"]["points"] for cell in released.cells
                  if cell.metadata.get("nbgrader", {}).get("grade")]
        assert len(points) >= 2 and all(re.search(r"# Graded: \d+ points?", cell.source) for cell in
                                        released.cells if cell.metadata.get("nbgrader", {}).get("grade"))

        submit(course, "solved", assignment, answered(released, source))
        submit(course, "unsolved", assignment, released)
        submit(course, "mistake", assignment, answered(released, source, wrong))
        result = nbgrader(course, "autograde", assignment, "--force")
        assert result.returncode == 0, result.stderr[-3000:]
        full_marks[assignment] = float(sum(points))

    for assignment, got in scores(course, list(ASSIGNMENTS)).items():
        full = full_marks[assignment]
        print(f"{assignment}: solved {got['solved']}, unsolved {got['unsolved']}, one mistake {got['mistake']}")
        assert got["solved"] == (full, full)
        assert got["unsolved"] == (0.0, full)
        assert 0 < got["mistake"][0] < full

    # The feedback page of the usual mistake: the check's own message, one line per row as in JupyterLab, and
    # nothing of its internals (no traceback into nnbook, no advice string that this mistake's hint is not).
    result = nbgrader(course, "generate_feedback", "03_loss_functions", "--student", "mistake", "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    text, errors = page_text(course / "feedback" / "mistake" / "03_loss_functions" / "03_loss_functions.html")
    wrong = {}
    exec(ASSIGNMENTS["03_loss_functions"][1], wrong)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(grading.CheckFailed) as raised:
        checks.sse(wrong["sse"])
    lines = raised.value.lines
    print("The feedback page's error output:", *errors, sep="\n")
    assert len(errors) == 1 and errors[0].strip("\n").splitlines() == lines
    assert lines[0] == "✘ sse: 0 of 4 cases passed." and "that is the mean of the squared errors" in lines[4]
    assert all(len(line) <= 88 for line in lines)
    for internal in ("Traceback", "grading.py", "cases/lesson_", "site-packages", "run_check", "AssertionError",
                     "square it, then add the squares", "random_probabilities"):
        assert internal not in text, internal

    # validate, on the unsolved notebook, names each failing check with the check's own feedback
    unsolved = course / "submitted" / "unsolved" / "03_loss_functions" / "03_loss_functions.ipynb"
    report = nbgrader(course, "validate", str(unsolved)).stdout
    assert "VALIDATION FAILED ON 2 CELL(S)" in report
    assert "checks.sse(sse)" in report and "checks.mse(mse)" in report
    assert "sse: not attempted yet" in report and "mse: not attempted yet" in report

