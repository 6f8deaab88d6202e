"""nnbook progress: the results and the report read from a notebook's outputs (no kernel).

Runs in real kernels (a hung cell, a dead kernel, a learner's copy of exercises/) are in
tests/system/test_progress_kernel.py.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from nnbook.tools import course_map, progress


def cell(source, *outputs):
    return nbformat.v4.new_code_cell(source, outputs=list(outputs))


def shown(check, status, hint=""):
    return nbformat.v4.new_output("execute_result", {"text/plain": "…", progress.MIMETYPE: {
        "check": check, "status": status, "passed": 1, "total": 4, "hint": hint}}, execution_count=1)


def error(name, value):
    return nbformat.v4.new_output("error", ename=name, evalue=value, traceback=[])


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def lines(run):
    return [(exercise.check, exercise.status, exercise.hint) for exercise in run.exercises]


def test_each_expected_check_is_reported_once_with_its_last_result():
    nb = notebook(cell("import numpy as np\nfrom nnbook import checks as c"),
                  cell("c.sse(sse)", shown("sse", "failed", "a mean")),
                  cell("c.sse(sse)", shown("sse", "passed")),                  # run again after a fix
                  cell("checks.mse(mse)", shown("mse", "not attempted")))
    run = progress.results(nb, "03_loss_functions", ("sse", "mse"))
    assert lines(run) == [("sse", "passed", ""), ("mse", "not attempted", "")]


def test_a_missing_check_cell_still_counts_and_says_what_to_add():
    run = progress.results(notebook(cell("def sse(y_true, y_pred):\n    return 0.0")), "03_loss_functions",
                           ("sse",))
    assert lines(run) == [("sse", "could not run", "no cell runs checks.sse(sse): add that line in a cell below "
                                                   "your function (the exercise's check cell may have been deleted)")]


def test_a_syntax_error_in_the_function_cell_is_the_reason_not_the_name_error_it_causes():
    nb = notebook(cell("from nnbook import checks"),
                  cell("def sse(y_true, y_pred):\n    return (1", error("SyntaxError",
                                                                        "incomplete input (3520014556.py, line 2)")),
                  cell("checks.sse(sse)", error("NameError", "name 'sse' is not defined")))
    run = progress.results(nb, "03_loss_functions", ("sse",))
    assert lines(run) == [("sse", "could not run",
                           "cell 2 (def sse(y_true, y_pred):) has a SyntaxError: incomplete input (line 2)")]
    assert run.errors[0].startswith("cell 2") and len(run.errors) == 2


def test_a_name_error_after_a_failed_import_points_at_the_import():
    nb = notebook(cell("from nnbook import chekcs", error("ImportError", "cannot import name 'chekcs'")),
                  cell("def sse(y_true, y_pred):\n    return 0.0"),
                  cell("checks.sse(sse)", error("NameError", "name 'checks' is not defined")))
    assert lines(progress.results(nb, "03", ("sse",)))[0][2] == \
        "cell 1 (from nnbook import chekcs) raised ImportError: cannot import name 'chekcs'"


def test_a_check_cell_that_showed_nothing_says_to_keep_the_check_last():
    nb = notebook(cell("result = checks.sse(sse)"))
    assert lines(progress.results(nb, "03", ("sse",))) == [
        ("sse", "could not run", "its cell showed no result (keep the check as the cell's last line)")]


def test_results_before_a_stop_are_kept_and_later_checks_get_the_reason():
    nb = notebook(cell("checks.sse(sse)", shown("sse", "passed")), cell("while True:\n    pass"),
                  cell("checks.mse(mse)"))
    run = progress.results(nb, "03", ("sse", "mse"), stopped="cell 2 did not finish", stopped_at=1)
    assert lines(run) == [("sse", "passed", ""), ("mse", "could not run", "cell 2 did not finish")]


def test_a_notebook_that_is_not_the_courses_reports_the_checks_it_calls_or_shows():
    nb = notebook(cell("c.one_hot(one_hot)", shown("one_hot", "passed")), cell("checks.try_it(sse, 1, 2)"))
    assert lines(progress.results(nb, "02_labels_and_one_hot-Copy1")) == [("one_hot", "passed", "")]


def test_a_check_of_an_earlier_exercises_function_is_found_and_its_missing_cell_named():
    assert progress.checks_called("checks.train_digits(train_epoch)\nnp.mean(x)") == ["train_digits"]
    nb = notebook(cell("train_epoch = checks.functions_from('06_training_loop.ipynb', 'train_epoch')"),
                  cell("checks.train_digits(train_epoch)", error("NameError", "name 'checks' is not defined")))
    run = progress.results(nb, "11_images", ("train_digits",))
    assert lines(run) == [("train_digits", "could not run", "cell 2 (checks.train_digits(train_epoch)) raised "
                                                            "NameError: name 'checks' is not defined")]
    run = progress.results(notebook(cell("x = 1")), "11_images", ("train_digits",))
    assert "no cell runs checks.train_digits(train_epoch): add that line" in run.exercises[0].hint


def test_checks_called_finds_any_alias_and_skips_the_tools():
    assert progress.checks_called("checks.sse(sse)\nc.mse( mse )\nchecks.try_it(sse, 1)\n"
                                  "f = checks.functions_from('05.ipynb', 'x')") == ["sse", "mse"]


def test_the_course_notebooks_are_the_maps_and_other_notebooks_are_left_out(tmp_path):
    for name in ["02_labels_and_one_hot.ipynb", "02_labels_and_one_hot-Copy1.ipynb", "Untitled.ipynb",
                 "03_loss_functions.nnbook-backup.ipynb"]:
        (tmp_path / name).write_text("{}")
    wanted, others = progress.course_notebooks(tmp_path)
    assert [path.name for path in wanted] == [f"{lesson.stem}.ipynb" for lesson in course_map.LESSONS if lesson.checks]
    assert others == ["02_labels_and_one_hot-Copy1.ipynb", "Untitled.ipynb"]


def test_missing_and_unreadable_notebooks_count_every_check_as_could_not_run(tmp_path):
    lesson = course_map.by_number("03")
    missing = progress.run_one(tmp_path / f"{lesson.stem}.ipynb")
    assert [e.check for e in missing.exercises] == list(lesson.checks)
    assert all(e.status == "could not run" and "is missing" in e.hint for e in missing.exercises)
    broken = tmp_path / f"{lesson.stem}.ipynb"
    broken.write_text('{"cells": [')                            # a truncated save
    unreadable = progress.run_one(broken)
    assert all("cannot be read as a notebook (NotJSONError)" in e.hint for e in unreadable.exercises)


def test_the_report_as_text_and_as_a_table():
    runs = [progress.NotebookRun("03_loss_functions", [
        progress.Exercise("03_loss_functions", "sse", "passed"),
        progress.Exercise("03_loss_functions", "mse", "failed", "divide by n")]),
        progress.NotebookRun("Untitled")]
    card = progress.Report(runs, left_out=["Copy1.ipynb"])
    text = card.text().splitlines()
    assert text[:2] == ["03_loss_functions  sse  passed", "03_loss_functions  mse  failed: divide by n"]
    assert text[-3:] == ["Not run (not one of the course's exercise notebooks; name one to run it): Copy1.ipynb",
                         "No checks found in: Untitled", "Total: 1 of 2 exercises passed (1 passed, 1 failed)."]
    assert repr(card) == card.text()
    table = card._repr_html_()
    assert table.count("<tr>") == 3 and "failed: divide by n" in table and "Total: 1 of 2" in table
    assert progress.Report([]).text() == "No exercises found."


@pytest.mark.parametrize("value, text", [
    ("invalid syntax (3520014556.py, line 3)", "has a SyntaxError: invalid syntax (line 3)"),
    ("unexpected indent", "has a SyntaxError: unexpected indent"),
])
def test_syntax_errors_name_the_line_in_the_cell(value, text):
    nb = notebook(cell("def sse(a, b):\n  x", error("SyntaxError", value)), cell("checks.sse(sse)"))
    assert lines(progress.results(nb, "03", ("sse",)))[0][2].endswith(text)


@pytest.mark.parametrize("cell", [{}, {"source": 5}, {"source": None}], ids=["no source", "a number", "null"])
def test_a_cell_without_text_is_named_and_nothing_runs(tmp_path, cell, recwarn):
    # A hand-edited notebook: JSON that nbformat reads, but one cell's source is missing or not text (the
    # kernel runner and the report's cell labels both need text). Its id is missing too: no warning shown.
    lesson = course_map.by_number("03")
    path = tmp_path / f"{lesson.stem}.ipynb"
    good = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 1"}
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                "cells": [good, {"cell_type": "code", "metadata": {}, "outputs": [],
                                                 "execution_count": None, **cell}]}))
    run = progress.run_one(path)
    assert [e.check for e in run.exercises] == list(lesson.checks)
    assert all(e.status == "could not run" and "cell 2 has no text" in e.hint for e in run.exercises), run
    assert not [w for w in recwarn if "nbformat" in str(w.filename)]
