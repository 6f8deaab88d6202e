"""Shared set-up of the exercise checks' tests.

checks.train_digits draws two hidden cases on every call, and each draw trains lesson 06's reference epoch for
20 epochs (more when a draw misses the margin) to learn the accuracy a right epoch reaches there. A test about
what the check does with a stub, an error, a loop or a wrong epoch grades against real cases, but it needs no
new ones on every call: ``digits_cases_once`` draws the two hidden cases once per worker, at random as the check
does, and the check's own run of the learner's epoch on them is graded as before.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.tools.cases import lesson_11


@pytest.fixture(scope="session")
def _drawn_digits_cases():
    rng = np.random.default_rng()
    return {name: lesson_11._digits_hidden(rng, name) for name in ("hidden case 1", "hidden case 2")}


@pytest.fixture
def digits_cases_once(_drawn_digits_cases, monkeypatch):
    """checks.train_digits grades on hidden cases drawn once per worker (real cases, real reference runs)."""
    monkeypatch.setattr(lesson_11, "_digits_hidden", lambda rng, name: _drawn_digits_cases[name])
    return _drawn_digits_cases
