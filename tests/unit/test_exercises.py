"""The exercise generator: stubs, stable output, refusing to overwrite a learner's work, and the repo's
exercises/ being up to date with solutions/. Also: every solution passes its checks, every stub reads as
"not attempted" (run in-process, no kernel)."""

from __future__ import annotations

import contextlib
import io
import pathlib

import nbformat
import pytest

from nnbook import checks
from nnbook.tools import course_map, exercises
from nnbook.tools.progress import checks_called

REPO = pathlib.Path(__file__).resolve().parents[2]
SOLUTIONS = sorted(REPO.glob("solutions/*.ipynb"))

SOLVED = '''\
import numpy as np

def double(x):
    """Twice x.

    x: a float or an array.
    """
    y = 1
    ### BEGIN SOLUTION
    y = 2 * x
    if y is None:
        y = 0
    ### END SOLUTION
    return y
'''


def solution_notebook(source: str = SOLVED) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# Exercises 99"),
             nbformat.v4.new_markdown_cell("solved version", metadata={"tags": ["solution-only"]}),
             nbformat.v4.new_code_cell(source, execution_count=1,
                                       outputs=[nbformat.v4.new_output("stream", text="hi\n")]),
             nbformat.v4.new_code_cell("double(2)", metadata={"tags": ["nbval-ignore-output"]})]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"
    notebook.cells = cells
    return notebook


def make_course(tmp_path, source: str = SOLVED) -> tuple[pathlib.Path, pathlib.Path]:
    solutions, target = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(solution_notebook(source), solutions / "99_double.ipynb")
    return solutions, target


def quiet(function, *args, **kwargs):
    said = []
    status = function(*args, say=said.append, **kwargs)
    return status, "\n".join(said)


# --------------------------------------------------------------------------------------------------
# Stubs


def test_a_solution_region_becomes_a_stub_at_the_same_indentation():
    stubbed = exercises.stub_source(SOLVED)
    assert "2 * x" not in stubbed and "BEGIN SOLUTION" not in stubbed and "END SOLUTION" not in stubbed
    lines = stubbed.splitlines()
    at = lines.index("    # YOUR CODE HERE")
    assert lines[at - 1] == "    y = 1" and lines[at + 2] == "    return y"
    assert lines[at + 1] == '    raise NotImplementedError("write double here: twice x.")'
    namespace = {}
    exec(compile(stubbed, "<stub>", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="write double here"):
        namespace["double"](3)


@pytest.mark.parametrize("source, message", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "has no ### END SOLUTION"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "inside the region opened on line 2"),
])
def test_markers_that_do_not_pair_up_are_refused(source, message):
    with pytest.raises(exercises.SolutionError, match=message):
        exercises.stub_source(source, "nb, cell x")


def test_the_exercise_notebook_has_no_outputs_no_solution_only_cells_and_the_solutions_cell_ids():
    solution = solution_notebook()
    exercise = exercises.exercise_notebook(solution, "solutions/99_double.ipynb")
    assert [cell.id for cell in exercise.cells] == ["cell-0", "cell-2", "cell-3"]
    assert all(cell.outputs == [] and cell.execution_count is None
               for cell in exercise.cells if cell.cell_type == "code")
    assert exercise.cells[2].metadata == {"tags": ["nbval-ignore-output"]}
    recorded = exercise.metadata["nnbook"]
    assert recorded == {"generated_from": "solutions/99_double.ipynb",
                        "content_hash": exercises.content_hash(exercise)}
    assert not exercises.learner_changed(exercise)


def test_running_a_notebook_is_not_a_change_but_editing_a_cell_is():
    exercise = exercises.exercise_notebook(solution_notebook(), "solutions/99_double.ipynb")
    exercise.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    exercise.cells[1].execution_count = 7
    exercise.cells[1].metadata["collapsed"] = True
    assert not exercises.learner_changed(exercise)
    exercise.cells[1].source = exercise.cells[1].source.replace("raise NotImplementedError", "return 2 * x  #")
    assert exercises.learner_changed(exercise)


# --------------------------------------------------------------------------------------------------
# build and check on a course in a temporary folder


def test_build_writes_byte_identical_notebooks_run_after_run(tmp_path):
    solutions, target = make_course(tmp_path)
    status, said = quiet(exercises.build, solutions, target)
    assert status == 0 and "created" in said
    first = (target / "99_double.ipynb").read_bytes()
    status, said = quiet(exercises.build, solutions, target)
    assert status == 0 and said.startswith("unchanged")
    assert (target / "99_double.ipynb").read_bytes() == first
    assert exercises.render(exercises.exercise_notebook(nbformat.read(solutions / "99_double.ipynb", 4),
                                                        "solutions/99_double.ipynb")).encode() == first
    assert quiet(exercises.check, solutions, target)[0] == 0


def test_an_untouched_exercise_follows_its_solution_and_check_sees_it_stale(tmp_path):
    solutions, target = make_course(tmp_path)
    quiet(exercises.build, solutions, target)
    nbformat.write(solution_notebook(SOLVED.replace("Twice x.", "Two times x.")), solutions / "99_double.ipynb")
    status, said = quiet(exercises.check, solutions, target)
    assert status == 1 and "out of date with solutions/99_double.ipynb" in said
    status, said = quiet(exercises.build, solutions, target)
    assert status == 0 and said.startswith("updated")
    assert "two times x." in (target / "99_double.ipynb").read_text()


def test_outputs_from_a_run_are_kept_and_do_not_block_an_update(tmp_path):
    solutions, target = make_course(tmp_path)
    quiet(exercises.build, solutions, target)
    path = target / "99_double.ipynb"
    ran = nbformat.read(path, 4)
    ran.cells[2].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "4"}, execution_count=1)]
    ran.cells[2].execution_count = 1
    nbformat.write(ran, path)
    status, said = quiet(exercises.build, solutions, target)
    assert status == 0 and "only outputs from a run differ" in said
    assert nbformat.read(path, 4).cells[2].outputs != []
    assert "has outputs from a run" in quiet(exercises.check, solutions, target)[1]
    ran_bytes = path.read_bytes()
    status, said = quiet(exercises.build, solutions, target, force=True)      # --force cleans it, with a backup
    assert status == 0 and said.startswith("replaced")
    assert (target / "99_double.nnbook-backup.ipynb").read_bytes() == ran_bytes
    assert quiet(exercises.check, solutions, target)[0] == 0
    nbformat.write(ran, path)
    nbformat.write(solution_notebook(SOLVED.replace("Twice x.", "Two times x.")), solutions / "99_double.ipynb")
    assert quiet(exercises.build, solutions, target)[1].startswith("updated")


def course_with_an_edited_exercise(tmp_path):
    """A course built once, whose exercise the learner then answered (``y = x + x``): (solutions, exercises,
    the edited notebook's path)."""
    solutions, target = make_course(tmp_path)
    quiet(exercises.build, solutions, target)
    path = target / "99_double.ipynb"
    mine = nbformat.read(path, 4)
    mine.cells[1].source = mine.cells[1].source.replace('raise NotImplementedError("write double here: twice x.")',
                                                        "y = x + x")
    nbformat.write(mine, path)
    return solutions, target, path


def test_a_learners_work_is_never_overwritten_without_force_and_then_kept_as_a_backup(tmp_path):
    solutions, target, path = course_with_an_edited_exercise(tmp_path)
    learners_bytes = path.read_bytes()
    nbformat.write(solution_notebook(SOLVED.replace("Twice x.", "Two times x.")), solutions / "99_double.ipynb")

    status, said = quiet(exercises.build, solutions, target)
    assert status == 1 and "you have changed it" in said and "--force" in said
    assert path.read_bytes() == learners_bytes
    assert "edited by hand" in quiet(exercises.check, solutions, target)[1]

    status, said = quiet(exercises.build, solutions, target, force=True)
    backup = target / "99_double.nnbook-backup.ipynb"
    assert status == 0 and f"your version is in {backup}" in said
    assert backup.read_bytes() == learners_bytes
    assert "y = x + x" not in path.read_text() and "two times x." in path.read_text()

    # A second forced rebuild of a changed notebook keeps the first backup too.
    mine = nbformat.read(path, 4)
    mine.cells.append(nbformat.v4.new_code_cell("my own notes"))
    nbformat.write(mine, path)
    second_version = path.read_bytes()
    quiet(exercises.build, solutions, target, force=True)
    assert backup.read_bytes() == learners_bytes
    assert (target / "99_double.nnbook-backup-2.ipynb").read_bytes() == second_version
    assert exercises.notebooks_in(target) == [path]     # backups are not exercises
    assert quiet(exercises.check, solutions, target)[0] == 0



def test_a_forced_rebuild_on_a_full_disk_leaves_the_learners_notebook_where_it_was(tmp_path, monkeypatch):
    solutions, target, path = course_with_an_edited_exercise(tmp_path)
    learners_bytes = path.read_bytes()
    assert b"y = x + x" in learners_bytes
    nbformat.write(solution_notebook(SOLVED.replace("Twice x.", "Two times x.")), solutions / "99_double.ipynb")
    real_write_text = pathlib.Path.write_text

    def full_disk(self, text, *args, **kwargs):
        real_write_text(self, text[:100], *args, **kwargs)          # part of it reaches the disk, then no room
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_text", full_disk)
    status, said = quiet(exercises.build, solutions, target, force=True)
    monkeypatch.undo()
    assert status == 1 and "nothing was replaced" in said and "No space left on device" in said, said
    assert path.read_bytes() == learners_bytes                      # not moved, not cut short
    assert sorted(p.name for p in target.iterdir()) == ["99_double.ipynb"]   # no backup, no temporary file

def test_a_notebook_that_is_not_valid_json_counts_as_the_learners(tmp_path):
    solutions, target = make_course(tmp_path)
    target.mkdir()
    (target / "99_double.ipynb").write_text("{ half a notebook")
    assert quiet(exercises.build, solutions, target)[0] == 1
    assert (target / "99_double.ipynb").read_text() == "{ half a notebook"



def cut_inside_a_character(path: pathlib.Path) -> bytes:
    """``path``'s bytes cut just after the first byte of its first non-ASCII character, as a full disk may."""
    data = path.read_bytes()
    first = next(index for index, byte in enumerate(data) if byte >= 0x80)
    return data[:first + 1]


def test_an_exercise_cut_inside_a_character_is_the_learners_and_check_says_so(tmp_path):
    solutions, target = make_course(tmp_path)
    quiet(exercises.build, solutions, target)
    exercise = target / "99_double.ipynb"
    cut = b'{"cells": [{"source": "caf\xc3'
    exercise.write_bytes(cut)
    status, said = quiet(exercises.check, solutions, target)
    assert status == 1 and "99_double.ipynb cannot be read as a notebook" in said, said
    assert quiet(exercises.build, solutions, target)[0] == 1 and exercise.read_bytes() == cut


def test_a_solution_cut_inside_a_character_is_named_by_build_and_check(tmp_path):
    solutions, target = make_course(tmp_path)
    solution = solutions / "99_double.ipynb"
    text = solution.read_text(encoding="utf-8").replace("def double", "# caf\u00e9\ndef double", 1)
    solution.write_text(text, encoding="utf-8")
    solution.write_bytes(cut_inside_a_character(solution))
    for command in (exercises.build, exercises.check):
        status, said = quiet(command, solutions, target)
        assert status == 1, said
        assert said.startswith(f"error: {solution} cannot be read as a notebook (UnicodeDecodeError"), said
        assert "\n" not in said.strip()
    assert not target.exists() or not any(target.iterdir())

def test_check_reports_missing_and_orphan_exercise_notebooks(tmp_path):
    solutions, target = make_course(tmp_path)
    target.mkdir()
    status, said = quiet(exercises.check, solutions, target)
    assert status == 1 and "99_double.ipynb is missing" in said
    quiet(exercises.build, solutions, target)
    nbformat.write(nbformat.v4.new_notebook(), target / "98_orphan.ipynb")
    status, said = quiet(exercises.check, solutions, target)
    assert status == 1 and "98_orphan.ipynb has no solution notebook" in said


# --------------------------------------------------------------------------------------------------
# The repo's own notebooks


def test_the_repos_exercises_are_up_to_date_with_its_solutions():
    status, said = quiet(exercises.check, REPO / "solutions", REPO / "exercises")
    assert status == 0, said


def run_cells(notebook: nbformat.NotebookNode) -> tuple[dict, list[str]]:
    """Execute a notebook's code cells in-process, except check calls; return the namespace and checks."""
    namespace, called = {}, []
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            if checks_called(cell.source):
                called += checks_called(cell.source)
                continue
            exec(compile(cell.source, "<cell>", "exec"), namespace)
    return namespace, called


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.stem)
def test_every_solution_passes_its_checks_and_every_stub_reads_as_not_attempted(path, monkeypatch):
    monkeypatch.chdir(path.parent)          # as JupyterLab runs a notebook: from its own folder
    solution = nbformat.read(path, 4)
    namespace, called = run_cells(solution)
    assert called, "a solution notebook without a check"
    for name in called:
        result = getattr(checks, name)(namespace[course_map.checked_function(name)])
        assert result.passed, result.feedback
    # The exercise from the exercises' folder: a function it borrows (exercise 11's train_epoch) is the stub too.
    monkeypatch.chdir(REPO / "exercises")
    namespace, _ = run_cells(exercises.exercise_notebook(solution, path.name))
    for name in called:
        assert getattr(checks, name)(namespace[course_map.checked_function(name)]).status == "not attempted"
