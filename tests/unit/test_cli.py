"""The ``nnbook`` command's sub-commands: execute (unchanged), exercises build/check, progress."""

from __future__ import annotations

import pathlib

import nbformat
import pytest

from nnbook.tools import cli

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_the_parser_knows_every_sub_command():
    parser = cli.build_parser()
    assert parser.parse_args(["execute", "a.ipynb"]).notebooks == [pathlib.Path("a.ipynb")]
    assert parser.parse_args(["exercises", "build", "--force"]).force is True
    assert parser.parse_args(["exercises", "build"]).force is False
    assert parser.parse_args(["exercises", "check"]).task == "check"
    assert parser.parse_args(["progress"]).notebooks == []
    with pytest.raises(SystemExit):
        parser.parse_args(["exercises"])


def test_exercises_check_passes_on_the_repo(monkeypatch, capsys):
    monkeypatch.chdir(REPO / "exercises")
    assert cli.main(["exercises", "check"]) == 0
    assert "exercises/ is up to date with solutions/" in capsys.readouterr().out


def test_exercises_build_from_a_fresh_course_then_refuse_then_force(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(small_course(tmp_path))

    assert cli.main(["exercises", "build"]) == 0
    assert "created   exercises/01_f.ipynb" in capsys.readouterr().out
    assert cli.main(["exercises", "check"]) == 0

    exercise = tmp_path / "exercises" / "01_f.ipynb"
    exercise.write_text(exercise.read_text().replace("# YOUR CODE HERE", "# my notes"))
    assert cli.main(["exercises", "build"]) == 1
    assert "you have changed it" in capsys.readouterr().out
    assert cli.main(["exercises", "build", "--force"]) == 0
    assert (tmp_path / "exercises" / "01_f.nnbook-backup.ipynb").exists()
    assert cli.main(["exercises", "check"]) == 0


def test_progress_without_exercise_notebooks_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "course").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["progress"]) == 1
    assert "no exercise notebooks found" in capsys.readouterr().err


def small_course(tmp_path):
    """A course folder with one solution notebook and its exercises built."""
    for folder in ("course", "solutions"):
        (tmp_path / folder).mkdir()
    solution = nbformat.v4.new_notebook()
    solution.cells = [nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")]
    solution.cells[0].id = "f"
    nbformat.write(solution, tmp_path / "solutions" / "01_f.ipynb")
    return tmp_path


def test_exercises_check_says_one_line_per_problem_and_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(small_course(tmp_path))
    assert cli.main(["exercises", "build"]) == 0
    (tmp_path / "exercises" / "Untitled.ipynb").write_text("{}")                 # the learner's own notebook
    (tmp_path / "exercises" / "01_f-Copy1.ipynb").write_text("{}")
    capsys.readouterr()
    assert cli.main(["exercises", "check"]) == 0
    out = capsys.readouterr().out
    assert "note: exercises/Untitled.ipynb is not generated from solutions/ (left alone)" in out
    assert "note: exercises/01_f-Copy1.ipynb" in out and "up to date" in out

    (tmp_path / "exercises" / "02_gone.ipynb").write_text("{}")                   # a removed exercise
    (tmp_path / "exercises" / "01_f.ipynb").write_text('{"cells": [')            # a truncated save
    assert cli.main(["exercises", "check"]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("note:")]
    assert problems == [
        "exercises/01_f.ipynb cannot be read as a notebook (NotJSONError): `nnbook exercises build --force` "
        "replaces it, keeping it beside as a backup",
        "exercises/02_gone.ipynb has no solution notebook in solutions/: delete it if that exercise was removed, "
        "or add solutions/02_gone.ipynb"]
    assert cli.main(["exercises", "build", "--force"]) == 0
    assert (tmp_path / "exercises" / "01_f.nnbook-backup.ipynb").read_text() == '{"cells": ['   # kept


def test_exercises_build_and_check_without_solutions_are_errors(tmp_path, monkeypatch, capsys):
    (tmp_path / "course").mkdir()
    monkeypatch.chdir(tmp_path)
    for task in ("build", "check"):
        assert cli.main(["exercises", task]) == 1
        assert capsys.readouterr().out.startswith("error: no solution notebooks in solutions/")


def test_exercises_build_where_it_cannot_write_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(small_course(tmp_path))
    (tmp_path / "exercises").write_text("not a folder")
    assert cli.main(["exercises", "build", "--force"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("error: cannot write in exercises/") and "nothing was replaced" in out[0]


def test_progress_names_a_missing_notebook_in_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "course").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["progress", "nowhere.ipynb"]) == 2
    assert capsys.readouterr().err == "nnbook progress: no notebook at nowhere.ipynb\n"
