"""Lesson 03: the loss. One number that says how wrong a prediction is.

For one sample with true vector ``y`` (one-hot) and predicted vector ``y'`` (probabilities), both of
length k, the *sum of squared errors* is::

    SSE = sum over j of (y_j - y'_j)^2

For the lesson's cat picture, y = (1, 0, 0) and y' = (0.37, 0.50, 0.13)::

    SSE = (1 - 0.37)^2 + (0 - 0.50)^2 + (0 - 0.13)^2 = 0.3969 + 0.25 + 0.0169 = 0.6638

A batch of n samples is scored by the *mean squared error*, the mean over the samples of each sample's
SSE::

    MSE = (1/n) * sum over i of SSE_i

Classifiers are usually trained with *cross-entropy* instead, minus the log of the probability given to
the true class::

    CE = -sum over j of y_j * log(y'_j)          (= -log y'_label for a one-hot y)

Shapes: rows are samples. One sample is a (k,) vector; a batch is (n, k).
"""

from __future__ import annotations

import numpy as np

from nnbook import _validate
from nnbook.encoding import integer_labels

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before their log is taken, as Keras does, so that a
#: confident wrong answer costs a large finite loss instead of infinity.
EPSILON = 1e-7


def sse(y_true, y_pred):
    """Sum of squared errors.

    Args:
        y_true: (k,) true vector, or (n, k) a batch of them.
        y_pred: predictions of the same shape as ``y_true``.

    Returns:
        a float for one sample; a (n,) array with one SSE per sample for a batch.

    >>> round(sse([1, 0, 0], [0.37, 0.50, 0.13]), 4)
    0.6638
    """
    y_true, y_pred = _pair(y_true, y_pred, ndim=(1, 2))
    errors = y_true - y_pred
    per_sample = np.sum(errors**2, axis=-1)
    return float(per_sample) if y_true.ndim == 1 else per_sample


def mse(y_true, y_pred) -> float:
    """Mean squared error of a batch, as the course defines it: the mean over samples of each sample's SSE.

    ``MSE = (1/n) * sum_i sum_j (y_ij - y'_ij)^2``

    Keras's ``loss="mse"`` differs: it also averages over the k outputs, so it equals this value divided
    by k. ``nnbook.models`` uses Keras's meaning for ``loss="mse"``, so that a model written for Keras
    behaves the same; lesson 03 shows both numbers side by side.

    Args:
        y_true: (n, k) true vectors, one row per sample.
        y_pred: (n, k) predictions.

    Returns:
        a float.
    """
    y_true, y_pred = _pair(y_true, y_pred, ndim=2)
    if y_true.shape[0] == 0:
        raise ValueError("y_true must hold at least one sample, got shape (0, k)")
    return float(np.mean(sse(y_true, y_pred)))


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False):
    """Cross-entropy between one-hot (or soft) targets and predicted probabilities.

    ``CE = -sum_j y_j * log(p_j)``, computed stably:

    - ``from_logits=False`` (Keras's default): ``y_pred`` are non-negative scores. They are divided by
      their sum (so rows that do not sum to one, such as two sigmoid outputs, are treated as Keras on
      JAX or PyTorch treats them), clipped to ``[EPSILON, 1 - EPSILON]``, then logged.
    - ``from_logits=True``: ``y_pred`` are raw scores; ``log softmax`` is taken with the log-sum-exp
      trick, so large scores never overflow.

    Args:
        y_true: (k,) or (n, k) target rows, usually one-hot.
        y_pred: same shape: probabilities, or logits with ``from_logits=True``.

    Returns:
        a float for one sample, a (n,) array with one loss per sample for a batch (take its mean for the
        batch loss, as Keras does).
    """
    y_true, y_pred = _pair(y_true, y_pred, ndim=(1, 2))
    log_p = _log_probabilities("y_pred", y_pred, from_logits)
    per_sample = -np.sum(y_true * log_p, axis=-1)
    return float(per_sample) if y_true.ndim == 1 else per_sample


def sparse_categorical_crossentropy(labels, y_pred, from_logits: bool = False) -> np.ndarray:
    """Cross-entropy with integer labels: ``-log p[label]`` for each sample.

    The same value as :func:`categorical_crossentropy` with ``one_hot(labels)`` as targets, without
    building the one-hot matrix.

    Args:
        labels: (n,) integer labels in ``[0, k)``.
        y_pred: (n, k) probabilities (or logits with ``from_logits=True``).

    Returns:
        (n,) one loss per sample.
    """
    y_pred = _validate.float_array("y_pred", y_pred, ndim=2)
    labels = integer_labels(labels, y_pred.shape[1])
    if labels.shape[0] != y_pred.shape[0]:
        raise ValueError(f"labels and y_pred must hold the same number of samples, got {labels.shape[0]} "
                         f"labels and y_pred of shape {y_pred.shape}")
    log_p = _log_probabilities("y_pred", y_pred, from_logits)
    return -log_p[np.arange(labels.size), labels]


def _log_probabilities(name: str, y_pred: np.ndarray, from_logits: bool) -> np.ndarray:
    """log of the normalised, clipped probabilities (or log-softmax of logits), same shape as y_pred."""
    if from_logits:
        shifted = y_pred - np.max(y_pred, axis=-1, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    if np.any(y_pred < 0):
        raise ValueError(f"{name} must be probabilities (>= 0), got a minimum of {y_pred.min():.4g}; "
                         f"for raw scores pass from_logits=True")
    totals = np.sum(y_pred, axis=-1, keepdims=True)
    if np.any(totals == 0):
        raise ValueError(f"{name} has a row of all zeros: probabilities must not all be zero")
    probabilities = np.clip(y_pred / totals, EPSILON, 1 - EPSILON)
    return np.log(probabilities)


def _pair(y_true, y_pred, *, ndim):
    y_true = _validate.float_array("y_true", y_true, ndim=ndim)
    y_pred = _validate.float_array("y_pred", y_pred, ndim=ndim)
    _validate.same_shape("y_true", y_true, "y_pred", y_pred)
    return y_true, y_pred
