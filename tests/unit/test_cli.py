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
    for folder in ("course", "solutions"):
        (tmp_path / folder).mkdir()
    solution = nbformat.v4.new_notebook()
    solution.cells = [nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")]
    solution.cells[0].id = "f"
    nbformat.write(solution, tmp_path / "solutions" / "01_f.ipynb")
    monkeypatch.chdir(tmp_path)

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
