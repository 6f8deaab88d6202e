"""Self-graded exercises: one check per exercise of the course.

In an exercise notebook the learner writes a function, then runs its check::

    from nnbook import checks
    checks.one_hot(one_hot)

Each check calls the learner's function on the lesson's worked example and on hidden cases drawn at
random on every run (so a copied answer fails), and returns a result that is truthy exactly when every
case passed. For a failing case it shows the call, the expected value, the value received and a hint that
names the usual mistake when the answer reveals one (a sum where a mean belongs, rows and columns swapped,
the sign of the step flipped, ...). The learner's exceptions become feedback, code that runs longer than
``TIME_LIMIT`` seconds is stopped, and every call gets copies of its inputs.

The expected values come from short numpy reference code, one line per formula, independent of the rest of
nnbook, with one exception: the capstone, ``train_epoch``, is compared with one epoch of nnbook's own
``Sequential.fit`` under plain SGD (the engine the lessons use; its gradients are tested against finite
differences). Each lesson's checks and their cases live in ``nnbook/tools/cases/lesson_NN.py``, which lists
them in its ``CHECKS``; this module hands them out by name (``checks.sse`` is ``lesson_03.sse``).

Each check's docstring says what the learner writes.
"""

from __future__ import annotations

from nnbook.tools import course_map as _course_map
from nnbook.tools import grading as _grading
from nnbook.tools.grading import CheckResult
from nnbook.tools.reuse import functions_from

__all__ = ["CheckResult", "try_it", "functions_from", *_course_map.all_checks()]


def __getattr__(name):
    """``checks.sse`` and every other check: the function of that name in its lesson's cases module, which
    registers it in its ``CHECKS`` (the course map says which lesson holds which check)."""
    if name in _course_map.all_checks():
        return getattr(_course_map.lesson_for_check(name).cases, name)
    raise AttributeError(f"nnbook.checks has no check named {name!r}; the checks are "
                         f"{', '.join(_course_map.all_checks())}. Check the spelling in the exercise's check cell.")


def __dir__():
    return sorted({*globals(), *__all__})


def try_it(function, *args, **kwargs) -> None:
    """Run the learner's ``function`` on ``args`` and print the call and what it returned.

    A function that is not written yet (it still raises ``NotImplementedError``) prints "not written yet"
    instead of failing, so a fresh exercise notebook runs from top to bottom. Errors are printed too,
    with the learner's line.
    """
    if not callable(function):
        print(f"try_it needs a function, got {_grading.describe(function)}")
        return
    name = getattr(function, "__name__", "the function")
    shown = [_grading.one_line(_grading.show(arg, limit=12)) for arg in args]
    shown += [f"{key}={_grading.one_line(_grading.show(value, limit=12))}" for key, value in kwargs.items()]
    call = f"{name}({', '.join(shown)})"
    outcome = _grading.call_with_limit(function, args, kwargs)
    if outcome.not_attempted:
        print(f"{name} is not written yet: write it in the cell above, run that cell, then this one.")
    elif outcome.timed_out:
        print(f"{call} was stopped after {_grading.TIME_LIMIT:g} s: does a loop never end?")
    elif outcome.error is not None:
        trace = _grading.learner_traceback(outcome.error)
        print(f"{call} raised {_grading.describe_error(outcome.error)}" + (f"\n\n{trace}" if trace else ""))
    elif (shown := _grading.read_limited(_grading.show, outcome.value)).value is None:
        print(f"{call} returned {_grading.unreadable(outcome.value, shown)}")
    else:
        value = shown.value
        print(f"{call} returned:\n{value}" if "\n" in value or len(call) + len(value) > 90
              else f"{call} returned {value}")
