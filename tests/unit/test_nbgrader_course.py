"""`nnbook nbgrader`: the exported course's metadata, links and stand-alone assignments, and the checks'
behaviour under nbgrader (no nbgrader needed here; tests/system/test_nbgrader.py grades with the real one)."""

from __future__ import annotations

import pathlib

import nbformat
import numpy as np
import pytest

from nnbook import checks
from nnbook.tools import cli, course_map, nbgrader_course
from nnbook.tools.exercises import BEGIN, END

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nbgrader")
    nbgrader_course.write_course(REPO / "solutions", folder)
    return folder


def graded(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]


def test_one_assignment_per_exercise_notebook_and_a_config(course):
    stems = [lesson.stem for lesson in course_map.LESSONS if lesson.checks]
    assert sorted(path.name for path in (course / "source").iterdir()) == stems
    assert all((course / "source" / stem / f"{stem}.ipynb").is_file() for stem in stems)
    config = (course / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.course_id = "nnbook"' in config
    compile(config, "nbgrader_config.py", "exec")


@pytest.mark.parametrize("lesson", [lesson for lesson in course_map.LESSONS if lesson.checks], ids=str)
def test_each_check_cell_is_graded_locked_and_worth_its_points(course, lesson):
    notebook = nbformat.read(course / "source" / lesson.stem / f"{lesson.stem}.ipynb", 4)
    cells = graded(notebook)
    # A check of a function the learner writes in this notebook is graded; one of a function written in an
    # earlier exercise (given solved in the assignment) is not.
    solved = nbformat.read(REPO / "solutions" / f"{lesson.stem}.ipynb", 4)
    written = "\n".join(cell.source for cell in solved.cells if cell.cell_type == "code")
    checks_graded = [check for check in lesson.checks if f"def {course_map.checked_function(check)}(" in written]
    assert checks_graded
    assert [cell.metadata.nbgrader.grade_id for cell in cells] == \
        [f"{lesson.stem}-check-{check}" for check in checks_graded]
    for cell, check in zip(cells, checks_graded):
        meta = cell.metadata.nbgrader
        assert meta.locked and not meta.solution and meta.points == course_map.points(check)
        assert cell.source.splitlines()[0].startswith(f"# Graded: {meta.points} point")
    solutions = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert solutions and all(BEGIN in cell.source and END in cell.source for cell in solutions)
    assert len({cell.metadata.nbgrader.grade_id for cell in notebook.cells if "nbgrader" in cell.metadata}) == \
        len([cell for cell in notebook.cells if "nbgrader" in cell.metadata])      # ids are unique
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "solutions/" not in text and "BEGIN SOLUTION" not in "\n".join(
        cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "](../" not in text                                 # no link that leads nowhere from release/


def test_links_say_where_the_lesson_is():
    text = ("Practice for lesson [05 · Backpropagation](../course/05_backpropagation.ipynb).\n\n"
            "Stuck? The solved notebook is [`../solutions/05.ipynb`](../solutions/05.ipynb).\n\n"
            "Next: [lesson 06](../course/06_training_loop.ipynb) and its [exercise](06_training_loop.ipynb).")
    assert nbgrader_course._rewrite_links(text) == (
        "Practice for lesson 05 · Backpropagation (the lesson `course/05_backpropagation.ipynb` of the nnbook "
        "course).\n\nNext: lesson 06 (the lesson `course/06_training_loop.ipynb` of the nnbook course) and its "
        "exercise (the assignment `06_training_loop`).")


def test_the_capstone_stands_alone_with_the_functions_it_borrows(course):
    lesson = course_map.lesson_for_check("train_epoch")
    notebook = nbformat.read(course / "source" / lesson.stem / f"{lesson.stem}.ipynb", 4)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert not any("functions_from" in source for source in sources)
    given = [source for source in sources if source.startswith("# Given (from 05_backpropagation.ipynb)")]
    assert [source.split("def ")[1].split("(")[0] for source in given] == \
        ["dense_forward", "dense_backward", "relu_backward", "softmax_crossentropy_backward"]
    assert not any("SOLUTION" in source for source in given)
    # and the text says so, where the course's own notebook asks to save notebook 05 first
    cells = [cell.source for cell in notebook.cells]
    note = cells[cells.index(given[0]) - 1]
    assert note.startswith("**In this assignment**") and "You do not need your own 05_backpropagation.ipynb" in note


def test_exercise_11_is_given_exercise_06s_epoch_with_the_functions_it_uses_and_its_check_is_ungraded(course):
    lesson = course_map.lesson_for_check("train_digits")
    notebook = nbformat.read(course / "source" / lesson.stem / f"{lesson.stem}.ipynb", 4)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert not any("functions_from" in source for source in sources)
    given = [(source.splitlines()[0], source.split("def ")[1].split("(")[0]) for source in sources
             if source.startswith("# Given (from ")]
    assert given == [("# Given (from 05_backpropagation.ipynb): run this cell.", name) for name in
                     ("dense_forward", "dense_backward", "relu_backward", "softmax_crossentropy_backward")] + \
        [("# Given (from 06_training_loop.ipynb): run this cell.", "train_epoch")]
    check = next(cell for cell in notebook.cells if "checks.train_digits(train_epoch)" in cell.source)
    assert "nbgrader" not in check.metadata and check.source.startswith("# Not graded in this assignment")
    # the given cells and the check run on their own: the check passes with the solved epoch
    namespace = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.startswith(("import", "# Given")):
            exec(compile(cell.source, "<cell>", "exec"), namespace)
    assert checks.train_digits(namespace["train_epoch"])


def test_a_course_with_a_gradebook_is_not_overwritten(tmp_path, monkeypatch, capsys):
    nbgrader_course.write_course(REPO / "solutions", tmp_path)
    (tmp_path / "gradebook.db").write_bytes(b"grades")
    with pytest.raises(nbgrader_course.CourseExists, match="it was not changed"):
        nbgrader_course.write_course(REPO / "solutions", tmp_path)
    monkeypatch.chdir(REPO)
    assert cli.main(["nbgrader", str(tmp_path)]) == 1
    assert "already holds an nbgrader course with a gradebook" in capsys.readouterr().err
    assert cli.main(["nbgrader", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "gradebook.db").read_bytes() == b"grades"


def sse(y_true, y_pred):
    return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


def test_under_nbgrader_a_failing_check_raises_with_its_feedback_and_a_passing_one_returns_nothing(monkeypatch,
                                                                                                   capsys):
    in_lab = checks.sse(lambda y_true, y_pred: 0.0)
    assert not in_lab and in_lab.status == "failed"            # in JupyterLab: a result, never an exception
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError) as raised:
        checks.sse(lambda y_true, y_pred: 0.0)
    assert "✘ sse: 0 of 4 cases passed." in str(raised.value) and "expected: 0.6638" in str(raised.value)
    assert all(len(line) <= 92 for line in str(raised.value).splitlines())
    with pytest.raises(AssertionError, match="not attempted yet"):
        checks.sse(lambda y_true, y_pred: (_ for _ in ()).throw(NotImplementedError()))
    assert checks.sse(sse) is None                             # nothing nbgrader could read as a partial score
    assert "✔ sse: all 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("path", sorted((REPO / "solutions").glob("*.ipynb")), ids=lambda path: path.stem)
def test_solution_prose_holds_no_literal_marker_nbgrader_would_read(path):
    # nbgrader reads its markers in any cell, markdown included, and then stops with "no end solution statement"
    notebook = nbformat.read(path, 4)
    prose = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    assert not [text for text in prose if "BEGIN SOLUTION" in text or "END SOLUTION" in text]


def test_an_instructors_edit_is_refused_then_kept_as_a_backup_with_force(tmp_path, monkeypatch, capsys):
    nbgrader_course.write_course(REPO / "solutions", tmp_path)
    source = tmp_path / "source" / "03_loss_functions" / "03_loss_functions.ipynb"
    generated = source.read_text()
    source.write_text(generated.replace("Loss functions", "Loss functions (edited)"))
    edited = source.read_bytes()
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    with pytest.raises(nbgrader_course.CourseExists, match="did not write or that were edited since"):
        nbgrader_course.write_course(REPO / "solutions", tmp_path)
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before

    monkeypatch.chdir(REPO)
    assert cli.main(["nbgrader", str(tmp_path), "--force"]) == 0
    backup = source.with_name(source.name + ".nnbook-backup")
    assert backup.read_bytes() == edited and source.read_text() == generated
    assert f"kept your version of {source} in {backup}" in capsys.readouterr().out


def test_a_second_run_over_its_own_files_and_others_files_beside_them_is_fine(tmp_path):
    nbgrader_course.write_course(REPO / "solutions", tmp_path)
    (tmp_path / "README.txt").write_text("the instructor's own notes")
    lines = []
    assert nbgrader_course.write_course(REPO / "solutions", tmp_path, say=lines.append)
    assert lines == [] and (tmp_path / "README.txt").read_text() == "the instructor's own notes"


def test_an_unknown_config_in_a_new_folder_is_refused(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    with pytest.raises(nbgrader_course.CourseExists, match="nbgrader_config.py"):
        nbgrader_course.write_course(REPO / "solutions", tmp_path)
    assert "mine" in (tmp_path / "nbgrader_config.py").read_text()


def test_a_file_in_the_folders_place_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "taken").write_text("x")
    monkeypatch.chdir(REPO)
    assert cli.main(["nbgrader", str(tmp_path / "taken")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"nnbook nbgrader: could not write the course into {tmp_path / 'taken'}")
