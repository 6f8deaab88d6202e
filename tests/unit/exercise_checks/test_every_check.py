"""What every check of nnbook.checks does alike: stubs, endless loops, errors, odd return values, display."""

from __future__ import annotations

import time

import numpy as np
import pytest
from check_helpers import endless, failed_with, not_written

from nnbook import checks
from nnbook.lessons import palette
from nnbook.tools import grading as _grading
from nnbook.tools.cases import lesson_11


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(_grading, "TIME_LIMIT", 0.3)


@pytest.fixture(autouse=True)
def _digits_once(request):
    """train_digits grades every test here on the same two hidden cases (conftest.digits_cases_once): these
    tests are about stubs, errors and odd answers, not about new draws, so the reference runs are not repeated."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("name") == "train_digits":
        request.getfixturevalue("digits_cases_once")


#: In ``checks.__all__`` but not checks: the result type and the tools a notebook uses around the checks.
TOOLS = {"CheckResult", "try_it", "functions_from"}
ALL_CHECKS = [name for name in checks.__all__ if name not in TOOLS]


# --------------------------------------------------------------------------------------------------
# Behaviour shared by every check


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_the_stub_reads_as_not_attempted(name):
    result = getattr(checks, name)(not_written)
    assert not result and result.status == "not attempted" and result.score == 0
    assert "not attempted yet" in result.feedback and result.failures == []


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_an_endless_loop_is_stopped_and_reported(name, short_time_limit):
    result = getattr(checks, name)(endless)
    assert failed_with(result, "did not finish in time")
    limits = lesson_11.DIGITS_TIME_LIMITS if name == "train_digits" else 1   # a whole training run per case
    assert f"stopped after {0.3 * limits:g} s" in result.feedback


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_an_exception_becomes_feedback_with_the_learners_line(name):
    def broken(*args, **kwargs):
        total = 0
        return total + undefined_name   # noqa: F821  the learner's typo

    result = getattr(checks, name)(broken)
    assert not result and result.score == 0
    assert "NameError: name 'undefined_name' is not defined" in result.feedback
    assert "in broken, line" in result.feedback and "return total + undefined_name" in result.feedback


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_a_check_never_raises_whatever_comes_back(name):
    class Unconvertible:
        def __float__(self):
            raise RuntimeError("no float for you")

        __array__ = None

    for answer in ["0.5", ["0.5", "1"], {"a": 1}, object(), [[1, 2], [3]], None, float("nan"), 10 ** 400,
                   [10 ** 400, 1], Unconvertible(), (1, "2"), True]:
        result = getattr(checks, name)(lambda *args, answer=answer, **kwargs: answer)
        assert not result and result.status == "failed", (answer, result.feedback)
    hint = getattr(checks, name)(lambda *args, **kwargs: None).failures[0].hint
    assert "return` missing?" in hint and "?." not in hint


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_a_function_unfinished_for_some_inputs_fails_on_those_cases_only(name):
    calls = []

    def half_written(*args, **kwargs):
        calls.append(1)
        if len(calls) % 2 == 0:
            raise NotImplementedError("the second branch")
        return None

    result = getattr(checks, name)(half_written)
    assert result.status == "failed" and "not attempted" not in result.feedback
    assert any("still raises NotImplementedError" in failure.hint for failure in result.failures)
    assert "NotImplementedError: the second branch" in result.feedback


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_passing_something_that_is_not_a_function_says_so(name):
    result = getattr(checks, name)(0.6638)
    assert not result and "pass the function itself" in result.hint


def test_the_displayed_result_of_a_correct_solution_is_the_same_on_every_run():
    def sse(y_true, y_pred):
        return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))

    first, second = checks.sse(sse), checks.sse(sse)
    assert first and second.passed and first.score == 1.0
    assert first._repr_mimebundle_() == second._repr_mimebundle_()
    html = first._repr_html_()
    assert html.count("<div") == 1 and "<pre" not in html and palette.RIGHT[0] in html   # one line
    assert repr(first) == first.feedback == "✔ sse: all 4 cases passed (the worked example and 3 hidden cases)."
    assert first.as_dict() == {"check": "sse", "status": "passed", "passed": 4, "total": 4, "hint": ""}


def test_a_failure_shows_the_call_expected_received_and_hint_in_text_and_html():
    result = checks.sse(lambda y_true, y_pred: float(np.mean((y_true - y_pred) ** 2)))
    text = result.feedback
    assert "the worked example: sse(y_true=[1.0, 0.0, 0.0], y_pred=[0.37, 0.5, 0.13])" in text
    assert f"expected: {_grading.show(0.3969 + 0.25 + 0.0169)}" in text
    assert f"received: {_grading.show((0.3969 + 0.25 + 0.0169) / 3)}" in text
    assert "hint:" in text and "(the same for hidden case 1" in text
    html = result._repr_html_()
    assert "<pre" in html and palette.WRONG[0] in html and "&lt;" not in text
    record = result._repr_mimebundle_()[_grading.MIMETYPE]
    assert record["status"] == "failed" and record["passed"] == 0 and "mean" in record["hint"]


def test_inputs_are_copies_so_an_in_place_change_cannot_leak():
    def one_hot(labels, num_classes):
        encoded = np.eye(num_classes)[labels]
        labels[:] = 0                      # scribbles on its input after computing the answer
        return encoded

    assert checks.one_hot(one_hot)
    weights = np.array([1.0, 2.0])

    def update_weight(w, gradient, learning_rate):
        w -= learning_rate * gradient      # in place, on the check's copy
        return w

    assert checks.update_weight(update_weight)
    checks.try_it(update_weight, weights, np.array([1.0, 1.0]), 0.5)
    assert weights.tolist() == [1.0, 2.0]


def test_the_time_limit_also_works_outside_the_main_thread(short_time_limit):
    import threading

    outcome = {}

    def slow(*args):
        time.sleep(1.5)                    # ends on its own, so no thread is left spinning

    def grade():
        outcome["result"] = checks.iterations_per_epoch(slow)

    started = time.monotonic()
    worker = threading.Thread(target=grade)
    worker.start()
    worker.join()
    assert time.monotonic() - started < 1.2
    assert failed_with(outcome["result"], "did not finish in time")


def test_try_it_shows_the_result_or_that_the_function_is_not_written(capsys):
    checks.try_it(lambda y_true, y_pred: float(np.sum((y_true - y_pred) ** 2)),
                  np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13]))
    checks.try_it(not_written, 1, 2)
    checks.try_it(lambda: 1 / 0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "<lambda>([1.0, 0.0, 0.0], [0.37, 0.5, 0.13]) returned 0.6638"
    assert lines[1].startswith("not_written is not written yet")
    assert lines[2] == "<lambda>() raised ZeroDivisionError: division by zero"


def test_try_it_shows_the_learners_frames_of_an_error_and_no_library_frames(capsys):
    def helper(values):
        return np.asarray(values)[5]           # the line that fails

    def one_hot(labels, num_classes):
        return helper(labels)

    checks.try_it(one_hot, [0, 1], 3)
    out = capsys.readouterr().out
    assert "raised IndexError" in out and "Traceback (your code only, most recent call last):" in out
    trace = out[out.index("Traceback"):]
    assert trace.index("in one_hot") < trace.index("in helper")       # the calls in order, as Python shows them
    assert "return np.asarray(values)[5]" in out and "return helper(labels)" in out
    assert "grading.py" not in out and "checks.py" not in out


def test_the_error_hint_says_how_to_see_the_full_traceback():
    result = checks.sse(lambda y_true, y_pred: 1 / 0)
    assert "pass the same arguments to checks.try_it" in result.hint
    assert "sse(y_true=[1.0, 0.0, 0.0], y_pred=[0.37, 0.5, 0.13])" in result.feedback   # the call, to rerun


