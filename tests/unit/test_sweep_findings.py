"""The findings of issue 20's adversarial sweep of the checks, one test (or a few) per finding.

Each test failed before its fix. The checks' other tests are in tests/unit/exercise_checks/."""
from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with

from nnbook import checks

# --------------------------------------------------------------------------------------------------
# iterations_per_epoch: every rounding trick fails on every run


@pytest.mark.parametrize("trick, hint", [
    (lambda n, b: round(n / b + 0.5), "one too many"),              # half-to-even: odd exact quotient + 0.5
    (lambda n, b: int(np.round(n / b + 0.5)), "one too many"),
    (lambda n, b: round(n / b - 0.5) + 1, "one too many"),          # even exact quotient - 0.5 rounds down
    (lambda n, b: int(n / b + 0.99), "that rounds down"),           # a remainder under 1/100 of a batch
    (lambda n, b: math.floor(n / b + 63 / 64), "that rounds down"),  # a remainder under 1/64 of a batch
    (lambda n, b: int(n / b + 0.999), "that rounds down"),
    (lambda n, b: round(n / b), "that rounds down"),
    (lambda n, b: n // b + (n % b >= b / 2), "that rounds down"),
])
def test_iterations_per_epoch_separates_every_rounding_trick_on_every_run(trick, hint):
    assert always_fails_with(checks.iterations_per_epoch, trick, hint)


# --------------------------------------------------------------------------------------------------
# numerical_gradient: a nudge never put back fails on every run


def numerical_gradient_never_restoring(f, w, h=1e-5):
    w = np.array(w, dtype=float)
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += h
        up = f(w)
        w[index] -= 2 * h
        gradient[index] = (up - f(w)) / (2 * h)       # w[index] is left at w - h
    return float(gradient) if gradient.ndim == 0 else gradient


def test_numerical_gradient_that_never_restores_the_nudged_entry_fails_on_every_run():
    assert always_fails_with(checks.numerical_gradient, numerical_gradient_never_restoring,
                             "each nudged entry must go back")
