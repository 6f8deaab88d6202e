"""Input checks shared by every nnbook module.

Each function takes the argument's *name* as the learner wrote it, so that a message reads like
scikit-learn's: what was expected, what came, and (where it helps) how to fix it::

    labels must be integers in [0, num_classes), got 3 with num_classes=3

These helpers are private (the leading underscore): lessons never need them, but every public function
calls them before touching numpy, so that bad input never surfaces as an IndexError from deep inside numpy.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def describe(value) -> str:
    """A short description of ``value`` for an error message: its type, and its shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{value!r} ({type(value).__name__})"


def float_array(name: str, value, *, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a new float64 array, checked to be numeric, finite and of the given number of dimensions.

    Raises ``TypeError`` for non-numeric input and ``ValueError`` for the wrong number of dimensions or for
    NaN or infinite entries.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numbers (a float, a list or an array), got {describe(value)}")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be numbers (a float, a list or an array), got {describe(value)}: {error}"
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            hint = ""
            if 1 in allowed and 2 not in allowed and array.ndim == 2:
                hint = " (for a batch, pass one sample at a time or use the batch function)"
            if 2 in allowed and array.ndim == 1:
                hint = " (for one sample, reshape it to (1, n) with x.reshape(1, -1))"
            raise ValueError(f"{name} must be {wanted}, got shape {array.shape}{hint}")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s) in {describe(array)}")
    return array


def real_number(name: str, value) -> float:
    """``value`` as a float, checked to be one finite real number (a Python or numpy scalar, or a 0-D array).

    ``TypeError`` for a non-number (a string, a bool, None), ``ValueError`` for several numbers or for NaN
    and infinity.
    """
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be a finite number, got {describe(value)}")
    array = float_array(name, value)
    if array.ndim != 0:
        raise ValueError(f"{name} must be a single number, got shape {array.shape}")
    return float(array)


def same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have exactly the same shape (no broadcasting)."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {name_a} {a.shape} and {name_b} {b.shape}"
        )


def positive_number(name: str, value) -> float:
    """``value`` as a float, checked to be a real, finite number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {describe(value)}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def whole_number(name: str, value, *, minimum: int = 0) -> int:
    """``value`` as an int, checked to be a whole number (not a bool, not a float) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (int), got {describe(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def callable_arg(name: str, value) -> None:
    """Raise ``TypeError`` unless ``value`` can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {describe(value)}")
