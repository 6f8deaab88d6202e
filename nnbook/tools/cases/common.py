"""What the checks of every lesson share: fresh hidden cases and random probability rows."""

from __future__ import annotations

import numpy as np

from nnbook.tools.grading import as_numbers, compare_numbers

RTOL, ATOL = 1e-6, 1e-9


def fresh_rng() -> np.random.Generator:
    """A fresh generator for the hidden cases: different numbers on every run of a check."""
    return np.random.default_rng()


def random_probabilities(rng, n: int, k: int) -> np.ndarray:
    """(n, k) rows of probabilities with two decimals, each row summing to 1 (up to float rounding)."""
    rows = np.round(rng.dirichlet(np.ones(k), size=n), 2)
    rows[:, -1] = np.clip(np.round(1 - rows[:, :-1].sum(axis=1), 2), 0, 1)
    return rows


def compare_finite(received, expected) -> str | None:
    """:func:`compare_numbers`, and when the received numbers hold nan or inf, a sentence that says so."""
    problem = compare_numbers(received, expected, rtol=RTOL, atol=ATOL)
    got = as_numbers(received)
    if problem is None or got is None or got.shape != np.shape(expected) or np.all(np.isfinite(got)):
        return problem
    bad = int(got.size - np.isfinite(got).sum())
    what = "it is" if got.ndim == 0 else f"{bad} of {got.size} entries are"
    return f"{what} nan or inf, not numbers (an overflow, 0/0 or inf/inf)"


def same_numbers(received, wrong) -> bool:
    """True when ``received`` holds the numbers of a usual mistake's ``wrong`` answer, nan and inf included."""
    got, want = as_numbers(received), as_numbers(wrong)
    return got is not None and want is not None and got.shape == want.shape \
        and bool(np.all(np.isclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True)))
