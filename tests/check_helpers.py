"""Helpers for the tests of nnbook.checks: stand-ins for a learner's function and ways to read a result."""

from __future__ import annotations

import os
import time

#: How many times a named mistake is graded: each run draws new hidden cases, and every run must reject it.
#: `make test` uses 10; `make unit`, the quick loop, sets NNBOOK_CHECK_RUNS=5; NNBOOK_CHECK_RUNS=200 makes a
#: stress run.
RUNS = int(os.environ.get("NNBOOK_CHECK_RUNS", "10"))


def failed_with(result, hint: str) -> bool:
    """The check failed, and one failing case's hint contains ``hint``."""
    return (not result and result.status == "failed"
            and any(hint in failure.hint for failure in result.failures))


def always_fails_with(check, function, hint: str, runs: int = RUNS) -> bool:
    """On every one of ``runs`` fresh runs, ``check(function)`` fails and names ``hint``."""
    for _ in range(runs):
        result = check(function)
        if not failed_with(result, hint):
            print(result.feedback)
            return False
    return True


def always_passes(check, function, runs: int = 5) -> bool:
    """Every one of ``runs`` fresh runs of ``check(function)`` passes."""
    for _ in range(runs):
        result = check(function)
        if not result:
            print(result.feedback)
            return False
    return True


def endless(*args, **kwargs):
    """Loops far past the checks' time limit (then ends, so that no stray thread spins forever)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pass


def not_written(*args, **kwargs):
    # YOUR CODE HERE
    raise NotImplementedError("write it here")
