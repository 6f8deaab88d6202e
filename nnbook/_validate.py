"""Input checks shared by every nnbook module.

Each function takes the argument's *name* as the learner wrote it, so that a message reads like
scikit-learn's: what was expected, what came, and (where it helps) how to fix it::

    labels must be integers in [0, num_classes), got 3 with num_classes=3

The leading underscore marks them private to the nnbook package, not to this module: the library and the
lesson helpers (``nnbook.lessons``) call them before touching numpy, so that bad input never surfaces as an
IndexError from deep inside numpy, while a learner's code never needs them. The checks' feedback describes a
learner's value with :func:`describe` too.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def describe(value, show=repr) -> str:
    """A short description of ``value`` for a message: ``None``, an array's shape and dtype, a list's or a
    tuple's length, else the value and its type. ``show`` writes a plain value: the checks' feedback passes
    ``grading.show``, which writes numbers and arrays as a learner would type them."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{show(value)} ({type(value).__name__})"


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


def fraction(name: str, value, *, upper_included: bool) -> float:
    """``value`` as a float in [0, 1] (``upper_included``) or [0, 1): a Python or numpy number, not a bool."""
    interval = "[0, 1]" if upper_included else "[0, 1)"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in {interval}, got {describe(value)}")
    value = float(value)
    if not (0 <= value <= 1 if upper_included else 0 <= value < 1):
        raise ValueError(f"{name} must be a number in {interval}, got {value!r}")
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


def integer_labels(labels, num_classes: int | None = None) -> np.ndarray:
    """Check ``labels`` and return them as an int64 array of shape (n,).

    Accepts a list or a 1-D array of whole numbers (``2.0`` is fine, ``2.5`` is not). When
    ``num_classes`` is given, every label must lie in ``[0, num_classes)``.
    """
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels must be a list or array of integers, got {describe(labels)}")
    array = np.asarray(labels)
    if array.ndim == 0:
        raise ValueError(f"labels must be 1-D (one label per sample), got the single value {labels!r}; "
                         f"wrap it in a list: [{labels!r}]")
    if array.ndim != 1:
        hint = " (already one-hot? use labels_from_one_hot to go back)" if array.ndim == 2 else ""
        raise ValueError(f"labels must be 1-D (one label per sample), got shape {array.shape}{hint}")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"labels must be integers, got dtype {array.dtype} ({describe(labels)})")
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)):
            raise ValueError("labels must be finite integers, got NaN or infinity")
        fractional = array[array != np.round(array)]
        if fractional.size:
            raise ValueError(f"labels must be whole numbers, got {float(fractional[0])!r}")
    if array.size and array.max() >= 2 ** 63:   # beyond int64: the cast would wrap round to a negative number
        raise ValueError(f"labels must be class numbers 0, 1, 2, ..., got {array.max().item()!r}, too large "
                         f"to be one" + (f" (num_classes={num_classes})" if num_classes is not None else ""))
    array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(f"labels must be integers >= 0, got {int(array.min())}")
    if num_classes is not None and array.size and array.max() >= num_classes:
        raise ValueError(f"labels must be integers in [0, num_classes), got {int(array.max())} "
                         f"with num_classes={num_classes}")
    return array


# ----- a model's data: checked once per fit, evaluate or predict, never per batch (scikit-learn's check_X_y) ---


def check_x(name: str, x, features: int, owner: str = "the first layer") -> np.ndarray:
    """``x`` as a float (n, features) array: rows are samples, one column per input feature of ``owner``."""
    x = float_array(name, x, ndim=2)
    if x.shape[1] != features:
        raise ValueError(f"{name} must have {features} feature column(s), as {owner}'s "
                         f"input_shape=({features},) says, got {name} of shape {x.shape}")
    return x


def check_targets(name: str, y, units: int, loss_name: str, sparse: bool) -> np.ndarray:
    """``y`` for a loss: integer labels (n,) in [0, units) for a sparse loss, else (n, units) target rows."""
    if sparse:
        return check_labels(name, y, units, loss_name)
    y = float_array(name, y, ndim=(1, 2))
    if y.ndim == 1 or y.shape[1] != units:
        if y.ndim == 1 and units == 1:    # one target per sample, given flat: a column is wanted
            hint = f"; one value per sample fits as a column: {name}.reshape(-1, 1)"
        elif y.ndim == 1:
            hint = f" (integer labels? use loss='sparse_categorical_crossentropy', or one_hot(y, {units}))"
        else:
            hint = ""
        raise ValueError(f"{name} must have shape (n, {units}), one column per output unit, for "
                         f"loss={loss_name!r}, got shape {y.shape}{hint}")
    return y


def check_labels(name: str, y, units: int, loss_name: str) -> np.ndarray:
    """Integer labels (n,) in [0, units) for a sparse loss; (n, 1) columns are accepted, as in Keras."""
    array = np.asarray(y) if not isinstance(y, (str, bytes)) else y
    if isinstance(array, np.ndarray) and array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if isinstance(array, np.ndarray) and array.ndim == 2:
        raise ValueError(f"{name} must be integer labels of shape (n,) for loss={loss_name!r}, got shape "
                         f"{array.shape}; for one-hot rows use loss='categorical_crossentropy'")
    try:
        labels = integer_labels(array)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None
    if labels.size and labels.max() >= units:
        raise ValueError(f"{name} must be labels in [0, {units}) for an output layer of {units} units, got "
                         f"{int(labels.max())}: give the last Dense layer one unit per class")
    return labels


def check_x_y(names, x, y, *, features: int, units: int, loss):
    """A model's data, like scikit-learn's ``check_X_y``: x as (n, features) floats and, unless y is None,
    y as the ``loss`` needs it (see :func:`check_targets`), with the same number of samples. ``names`` are
    the two arguments' names for the messages. Returns x, or (x, y)."""
    x = check_x(names[0], x, features)
    if y is None:
        return x
    y = check_targets(names[1], y, units, loss.name, loss.sparse)
    same_samples(names[0], x, names[1], y)
    return x, y


def same_samples(name_x: str, x: np.ndarray, name_y: str, y: np.ndarray) -> None:
    """Raise ``ValueError`` unless x and y hold the same number of samples, at least one."""
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{name_x} and {name_y} must hold the same number of samples, got {x.shape[0]} "
                         f"rows in {name_x} and {y.shape[0]} in {name_y}")
    if x.shape[0] == 0:
        raise ValueError(f"{name_x} must hold at least one sample, got shape {x.shape}")


def validation_split(x: np.ndarray, y: np.ndarray, fraction):
    """Keras's rule: the LAST ``fraction`` of the samples, taken before any shuffling, is held out.

    Returns ``(x_train, y_train, (x_val, y_val))``, or ``(x, y, None)`` for a fraction of 0.
    """
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real):
        raise TypeError(f"validation_split must be a number in (0, 1), got {describe(fraction)}")
    if fraction == 0:
        return x, y, None
    if not 0 < fraction < 1:
        raise ValueError(f"validation_split must be in (0, 1) (or 0 for none), got {fraction!r}")
    split_at = int(x.shape[0] * (1 - fraction))
    if split_at == 0 or split_at == x.shape[0]:
        raise ValueError(f"validation_split={fraction!r} of {x.shape[0]} samples leaves {split_at} for "
                         f"training and {x.shape[0] - split_at} for validation: both need at least one")
    return x[:split_at], y[:split_at], (x[split_at:], y[split_at:])


def pair(name: str, value) -> tuple:
    """``value`` as a 2-tuple such as ``validation_data=(x_val, y_val)``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name} must be a tuple (x_val, y_val), got {describe(value)}")
    return tuple(value)


def batch_size(value) -> int:
    """Keras's ``batch_size``: a whole number >= 1, or None for the default 32."""
    return 32 if value is None else whole_number("batch_size", value, minimum=1)


def verbose(value) -> int:
    """Keras's ``verbose``: 0 silent, 1 (or "auto") a progress bar, 2 one line per epoch."""
    if value == "auto":
        return 1
    if isinstance(value, bool) or value not in (0, 1, 2):
        raise ValueError(f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got {value!r}")
    return int(value)


def flag(name: str, value) -> bool:
    """``value`` checked to be True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)
