"""The audit the sweep (issue 20) asked of every check: on every run, each named mistake gets its own hint.

A check builds its cases (the worked example and freshly drawn hidden cases), each listing what every usual
mistake returns on it, and grades the learner's answers with them. Here the cases each check builds are caught
on their way to ``grading.grade``, and for every named mistake the test asks grading's own hint rule
(``grading._hint``, the rule a learner's wrong answer meets) whether some case of that run would name it: its
answer differs from the expected one and from every mistake listed before it there. A generator that, on some
draw, lets one mistake coincide with the right answer or with another mistake fails here with the run and the
hint it lost. NNBOOK_CHECK_RUNS sets the number of runs (200 for the stress run).
"""

from __future__ import annotations

import re

import pytest
from check_helpers import RUNS, not_written

from nnbook import checks
from nnbook.tools import course_map, grading

#: The two training checks compare whole training runs with a ``same`` of their own and diagnose the step
#: that went wrong; their named mistakes are graded directly, every run, in test_lesson_06_capstone.py and
#: test_lesson_11.py.
WHOLE_RUNS = {"train_epoch", "train_digits"}
CHECKS = [name for name in course_map.all_checks() if name not in WHOLE_RUNS]


def caught_cases(name: str, monkeypatch) -> dict:
    """The cases, compare and same that ``checks.<name>`` hands to grading, without grading anything."""
    caught = {}

    def catch(check_name, function, cases, *, advice, compare=grading.compare_numbers, same=None, **kwargs):
        caught.update(cases=cases, compare=compare, advice=advice,
                      same=same or (lambda received, wrong: compare(received, wrong) is None))
        return grading.CheckResult(check_name, grading.NOT_ATTEMPTED, 0, len(cases))

    monkeypatch.setattr(grading, "grade", catch)
    getattr(checks, name)(not_written)
    assert caught, f"checks.{name} never reached grading.grade"
    return caught


def mistake(hint: str) -> str:
    """A named mistake: its hint with the case's own numbers masked (a hint may quote the case's h or shape)."""
    return re.sub(r"\d+(\.\d+)?(e-?\d+)?", "#", hint)


def lost_hints(caught: dict) -> list[str]:
    """The named mistakes of one run that no case of it would name: each as its hint's first words."""
    cases, compare, same = caught["cases"], caught["compare"], caught["same"]
    mistakes = {mistake(hint) for case in cases for wrong, hint in case.mistakes if wrong is not None}
    named = set()
    for case in cases:
        for wrong, hint in case.mistakes:
            if wrong is None or compare(wrong, case.expected) is None:
                continue
            if grading._hint(wrong, case, cases[0], "wrong.", caught["advice"], compare, same) == hint:
                named.add(mistake(hint))
    return sorted(text[:70] for text in mistakes - named)


@pytest.mark.parametrize("name", CHECKS)
def test_every_named_mistake_gets_its_own_hint_on_every_run(name, monkeypatch):
    for run in range(RUNS):
        caught = caught_cases(name, monkeypatch)
        assert len(caught["cases"]) >= 2, "a worked example and at least one hidden case"
        assert not lost_hints(caught), f"run {run + 1}: {name}'s cases never name {lost_hints(caught)}"


@pytest.mark.parametrize("name", CHECKS)
def test_every_check_names_some_mistakes(name, monkeypatch):
    """A check whose cases list no usual mistake would pass this audit trivially."""
    caught = caught_cases(name, monkeypatch)
    assert any(wrong is not None for case in caught["cases"] for wrong, _ in case.mistakes)


def test_the_audit_catches_a_mistake_that_no_case_separates(monkeypatch):
    """The audit itself can fail: a mistake whose answer is the right one in every case is reported."""
    caught = caught_cases("sse", monkeypatch)
    for case in caught["cases"]:
        case.mistakes.append((case.expected, "a mistake that no case tells from the right answer"))
    assert lost_hints(caught) == ["a mistake that no case tells from the right answer"]
