"""nnbook progress: the results and the report read from a notebook's stored outputs (no kernel).

The kernel-level run of a learner's copy of exercises/ is tests/system/test_progress_kernel.py.
"""

from __future__ import annotations

import nbformat

from nnbook.tools import progress


def test_a_check_whose_cell_failed_is_reported_as_not_run_with_the_error():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("checks.try_it(sse, 1, 2)\nchecks.sse(sse)", outputs=[
            nbformat.v4.new_output("error", ename="NameError", evalue="name 'sse' is not defined", traceback=[])]),
        nbformat.v4.new_code_cell("checks.mse(mse)", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/plain": "…", progress.MIMETYPE: {
                "check": "mse", "status": "failed", "passed": 1, "total": 3, "hint": "divide by n"}},
            execution_count=2)]),
        nbformat.v4.new_code_cell("checks.accuracy(accuracy)\nx = 1"),
    ]
    run = progress.results(notebook, "03_loss_functions")
    assert run.errors == ["NameError: name 'sse' is not defined"]
    assert [(e.check, e.status, e.hint) for e in run.exercises] == [
        ("sse", "did not run", "its cell stopped with NameError: name 'sse' is not defined"),
        ("mse", "failed", "divide by n"),
        ("accuracy", "did not run", "its cell showed no result (keep the check as the cell's last line)"),
    ]
    assert progress.report([run]).splitlines()[-1] == \
        "Total: 0 of 3 exercises passed (1 failed, 2 did not run)."
    assert progress.report([]) == "No exercises found."
