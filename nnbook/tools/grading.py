"""The machinery behind :mod:`nnbook.checks`: call a learner's function safely, compare, explain.

A check is a list of :class:`Case` objects (the lesson's worked example first, then hidden randomised
cases) handed to :func:`run_check`. For each case ``run_check``:

1. calls the learner's function on *copies* of the inputs, with a time limit (:func:`call_with_limit`);
2. compares what came back with the expected value (``compare`` returns ``None`` when they agree, else a
   sentence saying what is wrong);
3. on a wrong answer, looks for the usual mistake: each case lists ``(wrong answer, hint)`` pairs, the
   values that the usual mistakes would produce on that case, and the hint of the first one the learner's
   answer equals is shown.

The result is a :class:`CheckResult`: truthy exactly when every case passed, shown in Jupyter as one green
line on success, or the failing cases with their call, expected value, received value and hint.

Private: lessons and exercises only use :mod:`nnbook.checks`.
"""

from __future__ import annotations

import copy
import html
import os
import re
import signal
import sys
import sysconfig
import textwrap
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from nnbook import _validate
from nnbook.lessons import palette

#: Seconds one call of the learner's function may run before it is stopped. A check stops at the first
#: call that runs out of time, so no check takes much longer than this.
TIME_LIMIT = 3.0
#: The mime type of the machine-readable result that ``nnbook progress`` reads from a notebook's outputs.
MIMETYPE = "application/vnd.nnbook.check+json"
#: At most this many failing cases are spelled out; the others are counted.
SHOWN_FAILURES = 3

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
#: (text, background) of each status as a check and the report card show it (the course palette).
VERDICT_COLOURS = {PASSED: palette.RIGHT, FAILED: palette.WRONG, NOT_ATTEMPTED: palette.UNCHECKED}


# ----------------------------------------------------------------------------------------------------
# Showing values


def show_number(x) -> str:
    """A float as short as it can be while keeping 8 significant digits: 0.6638, -0.54999, 1.5e-07."""
    x = float(x)
    if x != 0 and (abs(x) < 1e-4 or abs(x) >= 1e8):
        # numpy keeps the point when rounding leaves only zeros after it ("1.e-09"): drop it
        return np.format_float_scientific(x, precision=7, unique=True, trim="-").replace(".e", "e")
    text = np.format_float_positional(x, precision=8, unique=True, fractional=False, trim="0")
    return "0.0" if text == "-0.0" else text


def show(value, *, limit: int = 60) -> str:
    """``value`` as the learner would write it: numbers short, arrays as nested lists, functions by name.

    Arrays with more than ``limit`` entries are summarised by their shape.
    """
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return show_number(value)
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    if isinstance(value, tuple):
        items = [show(item, limit=limit) for item in value]
        if any("\n" in item for item in items):   # one item per line, nested arrays kept aligned
            return "(" + ",\n ".join(item.replace("\n", "\n ") for item in items) + ")"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, (list, np.ndarray)):
        try:
            array = np.asarray(value)
        except ValueError:   # a ragged list
            return "[" + ", ".join(show(item, limit=limit) for item in value) + "]"
        if array.dtype.kind in "biuf":
            if array.size > limit:
                return f"<array of shape {array.shape}>"
            return np.array2string(array, separator=", ", threshold=limit + 1, max_line_width=100,
                                   formatter={"float_kind": show_number, "int_kind": str, "bool": str})
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def describe(value) -> str:
    """What a value is, in words, for 'expected a single number, got ...': the library's own description
    (:func:`nnbook._validate.describe`), with values written by :func:`show`."""
    return _validate.describe(value, show)


def one_line(text: str) -> str:
    """A shown value on one line: nested arrays as [[1.0, 2.0], [3.0, 4.0]]."""
    return " ".join(text.split("\n ")).replace("\n", " ")


def call_text(name: str, parameters: list[str], args: tuple, kwargs: dict | None = None) -> str:
    """The call as code: ``sse(y_true=[1, 0, 0], y_pred=[0.37, 0.5, 0.13])``."""
    parts = [f"{parameter}={one_line(show(arg))}" for parameter, arg in zip(parameters, args)]
    parts += [f"{key}={one_line(show(arg))}" for key, arg in (kwargs or {}).items()]
    return f"{name}({', '.join(parts)})"


# ----------------------------------------------------------------------------------------------------
# Comparing


def compare_numbers(received, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """``None`` when ``received`` holds the same numbers as ``expected`` (same shape, close values), else
    a sentence saying what differs. A number may come as a float, a numpy scalar or a 0-D array; an array
    as an array or a (nested) list."""
    got = as_numbers(received)
    if got is None:
        return f"expected numbers, got {describe(received)}"
    want = np.asarray(expected, dtype=np.float64)
    if got.shape != want.shape:
        if want.ndim == 0:
            return f"expected a single number, got {describe(received)}"
        if got.ndim == 0:
            return f"expected an array of shape {want.shape}, got a single number"
        return f"expected shape {want.shape}, got shape {got.shape}"
    close = np.isclose(got, want, rtol=rtol, atol=atol)
    if np.all(close):
        return None
    if want.ndim == 0:
        return "the value is wrong"
    return f"{int(close.size - close.sum())} of {close.size} entries are wrong"


def as_numbers(value) -> np.ndarray | None:
    """``value`` as a float64 array, or ``None`` when it does not hold plain numbers.

    Strings (even "0.5"), dicts, sets, functions, ragged lists, ints too large for a float and objects whose
    conversion raises all give ``None``: a value that cannot be compared is feedback, never a crash.
    """
    if value is None or isinstance(value, (str, bytes, dict, set)) or callable(value):
        return None
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "biuf" and raw.dtype != object:   # strings and the like
            return None
        return np.asarray(value, dtype=np.float64)
    except Exception:   # noqa: BLE001  ragged lists, huge ints, a learner's object whose __float__ raises
        return None


def compare_parts(names: list[str], compare: Callable = compare_numbers) -> Callable:
    """A compare function for a tuple of results named ``names`` (e.g. grad_x, grad_W, grad_b).

    An expected part that is ``None`` is not compared, so a "usual mistake" can describe one part only.
    """
    def compare_tuple(received, expected) -> str | None:
        if not isinstance(received, (tuple, list)) or len(received) != len(names):
            return f"expected a tuple of {len(names)} ({', '.join(names)}), got {describe(received)}"
        problems = [f"{name}: {problem}" for name, got, want in zip(names, received, expected)
                    if want is not None and (problem := compare(got, want)) is not None]
        return "; ".join(problems) or None
    return compare_tuple


# ----------------------------------------------------------------------------------------------------
# Calling the learner's function


class _OutOfTime(BaseException):
    """Raised inside the learner's function when its time is up (a BaseException, so that a learner's
    ``except Exception`` does not swallow it)."""


@dataclass
class Outcome:
    """What one call of the learner's function gave: a value, an exception, or nothing in time."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False

    @property
    def not_attempted(self) -> bool:
        return isinstance(self.error, NotImplementedError)


def call_with_limit(function: Callable, args: tuple = (), kwargs: dict | None = None,
                    seconds: float | None = None) -> Outcome:
    """Call ``function(*args, **kwargs)`` on deep copies of the arguments, stopping it after ``seconds``.

    Never raises for the learner's errors (they come back in ``Outcome.error``). In the main thread of a
    POSIX process (a Jupyter kernel, pytest) an interval timer interrupts even a pure-Python endless loop;
    elsewhere the call runs in a helper thread that is abandoned when it runs too long.
    """
    args, kwargs = copy.deepcopy(tuple(args)), copy.deepcopy(dict(kwargs or {}))
    return _call_limited(function, args, kwargs, TIME_LIMIT if seconds is None else seconds)


def read_limited(function: Callable, *args) -> Outcome:
    """``function(*args)`` under the time limit, without copies: for the check's own code that reads what the
    learner returned (showing or comparing it runs the learner's ``__array__``, ``__float__``, ``__repr__``,
    ``__len__``); what that raises, or a read that never ends, comes back in the :class:`Outcome`."""
    return _call_limited(function, args, {}, TIME_LIMIT)


def _call_limited(function, args, kwargs, seconds) -> Outcome:
    """:func:`call_with_limit` without the copies: the timer in the main thread, else a helper thread."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _call_with_alarm(function, args, kwargs, seconds)
    return _call_in_thread(function, args, kwargs, seconds)


def _call(function, args, kwargs) -> Outcome:
    try:
        return Outcome(value=function(*args, **kwargs))
    except _OutOfTime:
        raise
    except (Exception, SystemExit) as error:  # the learner's error is feedback, never our crash
        return Outcome(error=error)


def _call_with_alarm(function, args, kwargs, seconds) -> Outcome:
    rings = []

    def ring(signum, frame):
        rings.append(frame)
        if len(rings) == 1:
            raise _OutOfTime()
        # The learner's code caught the last ring. Every ring now also raises at the next line run, which
        # after a caught ring is in the except clause that caught it; every other ring raises only there,
        # so a sleep it interrupts finishes first and the raise lands on the line after the call (it gets
        # out of a function that catches everything and returns, called in a loop that does too).
        _raise_on_next_line(frame)
        if len(rings) % 2 == 0:
            raise _OutOfTime()

    previous_handler = signal.signal(signal.SIGALRM, ring)
    previous_trace = sys.gettrace()
    # Ring again every 0.2 s in case the learner's code catches the first one with a bare `except:`.
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    started = time.monotonic()
    try:
        return _call(function, args, kwargs)
    except _OutOfTime:
        sys.settrace(previous_trace)
        return Outcome(timed_out=True)
    finally:
        sys.settrace(previous_trace)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:  # someone else's timer was running: give it back what is left of it
            left = max(previous_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


def _raise_on_next_line(frame) -> None:
    """Make the learner's frames (those below :func:`_call`) raise :class:`_OutOfTime` at their next line.

    A loop such as ``while True: try: time.sleep(1) except: pass`` catches every ring of the timer, since
    each one lands in ``sleep``. The next line it runs is then inside its ``except`` clause, where a raise is
    not caught by that same ``try``. (A trace function that raises is switched off by Python, so this is one
    raise per ring.)
    """
    def trace(frame, event, arg):
        if event == "line":
            raise _OutOfTime()
        return trace

    while frame is not None and frame.f_code is not _call.__code__:
        frame.f_trace = trace
        frame = frame.f_back
    sys.settrace(trace)


def _call_in_thread(function, args, kwargs, seconds) -> Outcome:
    box: dict[str, Outcome] = {}
    worker = threading.Thread(target=lambda: box.update(outcome=_call(function, args, kwargs)), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return Outcome(timed_out=True)
    return box["outcome"]


#: nnbook's folder and the libraries': frames there are not the learner's.
_LIBRARY_FOLDERS = tuple(
    os.path.normcase(os.path.realpath(folder)) + os.sep
    for folder in {os.path.dirname(os.path.dirname(__file__)), *(sysconfig.get_paths()[key]
                                                for key in ("stdlib", "platstdlib", "purelib", "platlib"))}
)


def _is_learners(filename: str) -> bool:
    """True for a frame of the learner's code: neither nnbook's nor a library's (numpy, the standard library)."""
    return not os.path.normcase(os.path.realpath(filename)).startswith(_LIBRARY_FOLDERS) \
        and not filename.startswith("<frozen")


def learner_line(error: BaseException) -> str:
    """Where in the learner's own code ``error`` happened: ``in one_hot, line 5: encoded[i, label] = 1``.

    Walks the traceback and keeps the last frame that is neither nnbook's nor a library's (numpy,
    the standard library); in Jupyter that is a line of the learner's cell.
    """
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if _is_learners(frame.filename)]
    if not frames:
        return ""
    frame = frames[-1]
    where = f"in {frame.name}, line {frame.lineno}"
    return f"{where}: {frame.line.strip()}" if frame.line else where


def learner_traceback(error: BaseException) -> str:
    """The traceback of ``error`` cut to the learner's own frames (nnbook's and the libraries' left out),
    most recent call last, as Python prints it; ``""`` when none of the frames is the learner's."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if _is_learners(frame.filename)]
    if not frames:
        return ""
    return "Traceback (your code only, most recent call last):\n" + "".join(traceback.format_list(frames)) + \
        "".join(traceback.format_exception_only(type(error), error))


def describe_error(error: BaseException) -> str:
    """``IndexError: index 3 is out of bounds ... (in one_hot, line 5: encoded[i, label] = 1)``."""
    try:
        text = str(error)
    except Exception:   # noqa: BLE001  a learner's exception whose __str__ raises
        text = ""
    message = f"{type(error).__name__}: {text}" if text else type(error).__name__
    where = learner_line(error)
    return f"{message}\n  {where}" if where else message


# ----------------------------------------------------------------------------------------------------
# Cases and results


@dataclass
class Case:
    """One call of the learner's function and what it should return.

    Attributes:
        name: how the feedback names it, e.g. "the worked example" or "hidden case 2".
        call: the call as code, shown to the learner.
        args, kwargs: the arguments (the learner's function gets deep copies).
        expected: the right answer, computed by the check's own reference code.
        mistakes: ``(wrong answer, hint)`` pairs: what each usual mistake returns on this case (``None``
            when that mistake cannot show on this case).
    """

    name: str
    call: str
    args: tuple
    expected: Any
    mistakes: list[tuple[Any, str]] = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)


@dataclass
class Failure:
    """A failing case, as shown to the learner."""

    case: str
    call: str
    expected: str
    received: str
    hint: str


class CheckResult:
    """The result of a check: truthy exactly when every case passed.

    Attributes:
        name: the exercise (the check's name).
        status: "passed", "failed" or "not attempted".
        passed_cases, total: how many cases passed, out of how many.
        failures: the failing cases (:class:`Failure`).
    """

    def __init__(self, name: str, status: str, passed_cases: int, total: int,
                 failures: list[Failure] | None = None):
        self.name, self.status = name, status
        self.passed_cases, self.total = passed_cases, total
        self.failures = list(failures or [])

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return self.status == PASSED

    @property
    def score(self) -> float:
        """The fraction of cases passed, 0 to 1."""
        return self.passed_cases / self.total if self.total else 0.0

    @property
    def hint(self) -> str:
        """The first failing case's hint ('' when nothing failed)."""
        return self.failures[0].hint if self.failures else ""

    def __bool__(self) -> bool:
        return self.passed

    @property
    def headline(self) -> str:
        if self.status == PASSED:
            return f"✔ {self.name}: all {self.total} cases passed (the worked example and " \
                   f"{self.total - 1} hidden cases)."
        if self.status == NOT_ATTEMPTED:
            return (f"… {self.name}: not attempted yet. Write {self.name} in its cell (in place of the "
                    f"`raise NotImplementedError` line), run that cell, then run this check again.")
        return f"✘ {self.name}: {self.passed_cases} of {self.total} cases passed."

    def _failure_lines(self) -> list[str]:
        """Each failing case in full, except that cases failing with the same hint are only named."""
        groups: dict[str, list[Failure]] = {}
        for failure in self.failures:
            groups.setdefault(failure.hint, []).append(failure)
        lines = []
        for failures in list(groups.values())[:SHOWN_FAILURES]:
            first, others = failures[0], [failure.case for failure in failures[1:]]
            lines += [f"{first.case}: {first.call}",
                      _indent("expected: ", first.expected),
                      _indent("received: ", first.received),
                      _indent("hint:     ", first.hint)]
            if others:
                lines.append(f"  (the same for {_join(others)})")
        hidden = sum(len(failures) for failures in list(groups.values())[SHOWN_FAILURES:])
        if hidden > 0:
            lines.append(f"({hidden} more failing case{'s' if hidden > 1 else ''} not shown)")
        return lines

    @property
    def feedback(self) -> str:
        """The text shown to the learner."""
        return "\n".join([self.headline, *self._failure_lines()])

    def __repr__(self) -> str:
        return self.feedback

    def _repr_html_(self) -> str:
        head = (f'<div style="font-weight:bold"><span style="{palette.badge_style(VERDICT_COLOURS[self.status])}">'
                f"{html.escape(self.headline)}</span></div>")
        if not self.failures:
            return head
        body = html.escape("\n".join(self._failure_lines()))
        return f'{head}<pre style="margin:0.3em 0 0 1em;white-space:pre-wrap">{body}</pre>'

    def as_dict(self) -> dict:
        """The machine-readable result that ``nnbook progress`` reads (deterministic on success)."""
        return {"check": self.name, "status": self.status, "passed": self.passed_cases,
                "total": self.total, "hint": self.hint}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.feedback, "text/html": self._repr_html_(), MIMETYPE: self.as_dict()}


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _indent(label: str, text: str) -> str:
    pad = "\n" + " " * (2 + len(label))
    return "  " + label + pad.join(str(text).splitlines() or [""])


def run_check(name: str, function, cases: list[Case], *, advice: str,
              compare: Callable = compare_numbers, same: Callable | None = None,
              error_advice: list[tuple[type, str, str]] = ()) -> CheckResult:
    """Run ``function`` on every case and grade it; never raises (except under nbgrader, see
    :func:`for_nbgrader`).

    Args:
        name: the check's name, also the function the learner writes.
        function: the learner's function.
        cases: the worked example first, then hidden cases.
        advice: the general reminder shown when no usual mistake explains a wrong answer.
        compare: ``compare(received, expected)`` -> ``None`` if right, else what is wrong.
        same: ``same(received, wrong)`` -> True when an answer equals a usual mistake's answer
            (default: ``compare`` finds nothing wrong).
        error_advice: ``(exception type, text in its message, hint)`` for exceptions the usual mistakes raise.
    """
    __tracebackhide__ = True
    return for_nbgrader(grade(name, function, cases, advice=advice, compare=compare, same=same,
                               error_advice=error_advice))


class CheckFailed(AssertionError):
    """A check that did not pass, raised under nbgrader (an ``AssertionError``, which nbgrader scores 0).

    ``lines`` is the check's feedback, one short line per row (long rows wrapped, since nbgrader's validate
    cuts long lines and its feedback page does not wrap them). IPython shows an exception that has a
    ``_render_traceback_`` method as the list of lines that method returns, in place of the traceback: the
    error output that nbgrader keeps, and shows on its feedback page, then holds the feedback and nothing
    of the check's own code.
    """

    def __init__(self, feedback: str, width: int = 88):
        self.lines = [row for line in feedback.splitlines()
                      for row in (textwrap.wrap(line, width, subsequent_indent=" " * _hanging_indent(line)) or [""])]
        super().__init__("\n" + "\n".join(self.lines))

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this exception: the feedback alone, no frames."""
        return list(self.lines)


def _hanging_indent(line: str) -> int:
    """Where a wrapped feedback line goes on: under the text after its label ("  hint:     "), else 4 in."""
    label = re.match(r" +[a-z]+: +", line)
    return len(label.group(0)) if label else 4


def for_nbgrader(result: CheckResult) -> CheckResult | None:
    """``result`` as is in JupyterLab. When nbgrader runs the notebook (it sets ``NBGRADER_EXECUTION``), a
    check that did not pass raises :class:`CheckFailed` (an ``AssertionError``) with its feedback, which
    nbgrader scores as 0 for that cell and shows without a traceback; a passing check prints its line and
    returns ``None``, so nbgrader gives the cell its full points and reads nothing as a partial score."""
    __tracebackhide__ = True   # pytest leaves this frame out of its tracebacks
    if not os.environ.get("NBGRADER_EXECUTION"):
        return result
    if not result.passed:
        raise CheckFailed(result.feedback)
    print(result.feedback)
    return None


def grade(name: str, function, cases: list[Case], *, advice: str, compare: Callable = compare_numbers,
          same: Callable | None = None, error_advice: list[tuple[type, str, str]] = (),
          seconds: float | None = None) -> CheckResult:
    """:func:`run_check` without the nbgrader step: always the :class:`CheckResult`, for a check that adds
    to it before handing it to :func:`for_nbgrader` itself. ``seconds``: each case's time limit (default
    TIME_LIMIT), for a check whose one case is a whole training run."""
    seconds = TIME_LIMIT if seconds is None else seconds
    same = same or (lambda received, wrong: compare(received, wrong) is None)
    if not callable(function):
        hint = (f"pass the function itself, as in checks.{name}({name}), not the result of calling it; "
                f"got {describe(function)}")
        return CheckResult(name, FAILED, 0, len(cases),
                           [Failure("the check", f"checks.{name}(...)", f"the function {name}",
                                    describe(function), hint)])
    failures, passed, unwritten = [], 0, 0
    for number, case in enumerate(cases):
        outcome = call_with_limit(function, case.args, case.kwargs, seconds)
        expected = show(case.expected)
        if outcome.not_attempted:
            unwritten += 1
            failures.append(Failure(case.name, case.call, expected, "an error: " + describe_error(outcome.error),
                                    "this input reaches a part of the function that still raises "
                                    "NotImplementedError: finish that part."))
            continue
        if outcome.timed_out:
            stopped = len(cases) - number
            failures.append(Failure(case.name, case.call, expected, f"nothing: stopped after {seconds:g} s",
                                    "the function did not finish in time: is there a loop that never ends "
                                    "(a `while` whose condition never turns false)? "
                                    f"The {stopped - 1} remaining case(s) were not run."))
            break
        if outcome.error is not None:
            failures.append(Failure(case.name, case.call, expected, "an error: " + describe_error(outcome.error),
                                    _error_hint(outcome.error, error_advice)))
            continue
        # Reading the answer runs the learner's code too (its __array__, __float__, __repr__, __len__): under
        # the same time limit, and whatever it raises is feedback.
        judged = read_limited(_judge, outcome.value, case, cases[0], advice, compare, same)
        if judged.error is not None or judged.timed_out:
            failures.append(Failure(case.name, case.call, expected, unreadable(outcome.value, judged),
                                    "return plain numbers: a float, or a numpy array (or nested lists) of "
                                    "floats, as the exercise asks."))
        elif judged.value is None:
            passed += 1
        else:
            failures.append(Failure(case.name, case.call, expected, *judged.value))
    if unwritten == len(cases):   # the stub, or a function not started: nothing to grade yet
        return CheckResult(name, NOT_ATTEMPTED, 0, len(cases))
    status = PASSED if passed == len(cases) else FAILED
    return CheckResult(name, status, passed, len(cases), failures)


#: Said when a wrong answer holds single-precision numbers: the checks compare to float64's precision.
SINGLE_PRECISION = ("Your answer holds float32 numbers (single precision, about 7 significant digits), and the "
                    "checks compare to float64's precision (1e-6 relative, or closer): if the result is right "
                    "up to float32 rounding, compute in float64, numpy's default (leave out dtype=np.float32 "
                    "and .astype(np.float32)), and run the check again.")


def holds_single_precision(value, depth: int = 3) -> bool:
    """True when ``value`` is, or (in a tuple, list or dict, ``depth`` levels deep) holds, float16/float32
    numbers."""
    if isinstance(value, (np.ndarray, np.floating)):
        return value.dtype in (np.float16, np.float32)
    if depth > 0 and isinstance(value, (tuple, list, dict)):
        items = list(value.values() if isinstance(value, dict) else value)[:100]
        return any(holds_single_precision(item, depth - 1) for item in items)
    return False


def _judge(received, case: Case, worked: Case, advice: str, compare, same) -> tuple[str, str] | None:
    """``None`` when ``received`` is the case's answer, else how it reads and the hint for it."""
    problem = "the function returned None: is a `return` missing?" if received is None \
        else compare(received, case.expected)
    if problem is None:
        return None
    return show(received), _hint(received, case, worked, problem, advice, compare, same)


def unreadable(received, judged: Outcome) -> str:
    """What the learner returned, in words, when reading it (:func:`read_limited`) raised or ran out of time."""
    kind = type(received).__name__
    if judged.timed_out:
        return f"a {kind} that the check could not read within {TIME_LIMIT:g} s"
    return f"a {kind} that the check cannot read ({describe_error(judged.error).splitlines()[0]})"


def _hint(received, case: Case, worked: Case, problem: str, advice: str, compare, same) -> str:
    """The hint for a wrong answer: the usual mistake it equals, else a copied worked example, else the
    problem and the check's general advice (first saying so when the answer is in float32)."""
    for wrong, hint in case.mistakes:
        if wrong is not None and compare(wrong, case.expected) is not None and same(received, wrong):
            return hint
    if case is not worked and compare(worked.expected, case.expected) is not None \
            and same(received, worked.expected):
        return ("that is the worked example's answer, whatever the input: compute the result from the "
                "arguments instead of returning a fixed value.")
    if holds_single_precision(received):
        advice = f"{SINGLE_PRECISION} {advice}"
    return f"{problem} {advice}" if problem.endswith(("?", ".", "!")) else f"{problem}. {advice}"


def _error_hint(error: BaseException, error_advice) -> str:
    for kind, text, hint in error_advice:
        if isinstance(error, kind) and text in str(error):
            return hint
    return ("read the error and the line it points at. To see the full traceback, run the call shown above "
            "yourself, or pass the same arguments to checks.try_it.")
