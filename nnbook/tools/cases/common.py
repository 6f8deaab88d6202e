"""What the checks of every lesson share: fresh hidden cases and random probability rows."""

from __future__ import annotations

import numpy as np


def fresh_rng() -> np.random.Generator:
    """A fresh generator for the hidden cases: different numbers on every run of a check."""
    return np.random.default_rng()


def random_probabilities(rng, n: int, k: int) -> np.ndarray:
    """(n, k) rows of probabilities with two decimals, each row summing to 1 (up to float rounding)."""
    rows = np.round(rng.dirichlet(np.ones(k), size=n), 2)
    rows[:, -1] = np.clip(np.round(1 - rows[:, :-1].sum(axis=1), 2), 0, 1)
    return rows
