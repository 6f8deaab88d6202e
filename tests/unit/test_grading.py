"""nnbook.tools.grading.show: values written as a learner would type them, in check messages and try_it."""

import numpy as np
import pytest

from nnbook import _validate
from nnbook.tools.grading import CheckFailed, describe, show, show_number


@pytest.mark.parametrize("value, text", [
    (0.6638, "0.6638"), (-0.54999, "-0.54999"), (1.5e-07, "1.5e-07"), (2.0, "2.0"), (-0.0, "0.0"),
    (1 / 3, "0.33333333"), (123456789.0, "1.2345679e+08"), (-1e-09, "-1e-09"),
    ((1 - 0.999) * 0.001 ** 2, "1e-09"),            # 1.0000000000000009e-09: rounds to a bare 1, no "1.e-09"
    (9.9999999e-05, "9.9999999e-05"),
])
def test_numbers_are_short_and_keep_eight_significant_digits(value, text):
    assert show_number(value) == text
    assert float(text) == pytest.approx(value, rel=1e-7)


def test_arrays_tuples_and_functions_read_like_python():
    v = np.array([0.4, 0.00025, (1 - 0.999) * 0.001 ** 2])
    assert show(v) == "[0.4, 0.00025, 1e-09]"
    assert show((v[:1], 2)) == "([0.4], 2)"
    assert show(np.array([[1, 2], [3, 4]])) == "[[1, 2],\n [3, 4]]"
    assert show(np.zeros(100)) == "<array of shape (100,)>"
    assert show(np.mean) == "mean" and show(None) == "None" and show("a") == "'a'"


def test_feedback_and_library_errors_describe_a_value_alike_with_feedback_writing_numbers_short():
    for value in [None, np.zeros((2, 3), dtype=np.float32), [1, 2], (1,), 0.5, "text"]:
        assert describe(value) == _validate.describe(value)
    assert describe(np.zeros((2, 3), dtype=np.float32)) == "an array of shape (2, 3) and dtype float32"
    assert describe(None) == "None" and describe([1, 2]) == "a list of length 2"
    assert describe(np.float64(1 / 3)) == f"{show(1 / 3)} (float64)" != _validate.describe(np.float64(1 / 3))


def test_under_nbgrader_a_failing_check_is_shown_as_its_feedback_alone_wrapped_with_no_traceback(monkeypatch):
    # IPython shows an exception with a _render_traceback_ method as the lines it returns: those are the
    # error output's "traceback" that nbgrader keeps and shows on its feedback page.
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from nnbook import checks

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell(config=config)
    shown = []
    monkeypatch.setattr(shell, "_showtraceback", lambda etype, value, stb: shown.append((etype, stb)))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shell.user_ns["checks"] = checks
    shell.run_cell("def sse(y_true, y_pred):\n    return float(((y_true - y_pred) ** 2).mean())\n")
    result = shell.run_cell("checks.sse(sse)")
    assert isinstance(result.error_in_exec, AssertionError)   # nbgrader scores the cell 0
    (etype, lines), = shown
    assert etype is CheckFailed and lines == result.error_in_exec.lines
    assert lines[:4] == ["✘ sse: 0 of 4 cases passed.",
                         "the worked example: sse(y_true=[1.0, 0.0, 0.0], y_pred=[0.37, 0.5, 0.13])",
                         "  expected: 0.6638", "  received: 0.22126667"]
    # the hint, wrapped under its own text: no row longer than 88 characters
    assert lines[4:6] == ["  hint:     that is the mean of the squared errors: SSE is their sum (no division by the",
                          "            number of classes)."]
    assert all(len(line) <= 88 for line in lines)
    assert not any(word in "\n".join(lines) for word in ("Traceback", "grading.py", "lesson_03", "File "))


def test_check_failed_wraps_long_rows_under_their_label_and_keeps_short_ones():
    error = CheckFailed("✘ f: 0 of 2 cases passed.\n" + "case 1: f(" + "x=1, " * 30 + ")\n  hint:     " +
                        "word " * 30)
    assert error.lines[0] == "✘ f: 0 of 2 cases passed."
    assert all(len(line) <= 88 for line in error.lines) and len(error.lines) == 5
    assert error.lines[2].startswith("    x=1") and error.lines[4].startswith(" " * 12 + "word")
    assert error._render_traceback_() == error.lines and str(error) == "\n" + "\n".join(error.lines)
