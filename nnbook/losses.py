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


# ---------------------------------------------------------------------------------------------------------
# Lessons 05-07: the losses a model trains with, by Keras's names and with Keras's meaning, each with its
# gradient side by side, in the same pattern as a layer: ``forward(y_true, y_pred)`` returns the batch loss
# (a float, the mean over the batch) and caches what the gradient needs; ``backward()`` then returns
# dL/dy_pred, shape (n, k), for that batch. They do no input checks (``nnbook.models.Sequential`` checks the
# data once per fit); calling the object, ``loss(y_true, y_pred)``, checks its input and returns ``forward``.
# ---------------------------------------------------------------------------------------------------------


class Loss:
    """A batch loss with its gradient. Subclasses define ``forward``, ``backward`` and ``check``."""

    name = "loss"
    #: True when y_true holds integer labels (n,) rather than target rows (n, k).
    sparse = False

    def forward(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        """The loss of the batch, a float (mean over the samples); caches what ``backward`` needs."""
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        """dL/dy_pred, shape (n, k), for the batch of the last ``forward``."""
        raise NotImplementedError

    def check(self, y_true, y_pred):
        """Return ``y_true`` and ``y_pred`` as arrays of the right shapes, or raise ValueError/TypeError."""
        y_pred = _validate.float_array("y_pred", y_pred, ndim=2)
        y_true = _validate.float_array("y_true", y_true, ndim=2)
        _validate.same_shape("y_true", y_true, "y_pred", y_pred)
        return y_true, y_pred

    def __call__(self, y_true, y_pred) -> float:
        """Check the input, then return ``forward(y_true, y_pred)``."""
        y_true, y_pred = self.check(y_true, y_pred)
        if y_pred.shape[0] == 0:
            raise ValueError("y_pred must hold at least one sample, got shape (0, k)")
        return self.forward(y_true, y_pred)

    def _require_forward(self):
        if getattr(self, "y_pred", None) is None:
            raise RuntimeError("backward needs the cache of a forward pass: call forward(y_true, y_pred) first")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """Keras's ``"mse"``: the mean of the squared errors over the samples AND the k outputs.

    ``L = (1/(n k)) sum_i sum_j (y_ij - y'_ij)^2``, which is the course's :func:`mse` divided by k.

    Gradient: ``dL/dy'_ij = 2 (y'_ij - y_ij) / (n k)``.
    """

    name = "mse"

    def forward(self, y_true, y_pred):
        self.y_pred = y_pred
        self.errors = y_pred - y_true                     # y' - y, (n, k)
        return float((self.errors**2).mean())

    def backward(self):
        self._require_forward()
        return 2.0 * self.errors / self.errors.size


def _normalise_backward(grad_p: np.ndarray, p: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Carry dL/dp back through ``p = y_pred / totals`` (each row divided by its sum ``S``).

    ``dp_j/dy'_k = (delta_jk - p_j) / S``, so ``dL/dy'_k = (dL/dp_k - sum_j dL/dp_j * p_j) / S``.
    Shapes: grad_p and p (n, k), totals (n, 1).
    """
    return (grad_p - np.sum(grad_p * p, axis=1, keepdims=True)) / totals


class CategoricalCrossentropy(Loss):
    """Keras's ``"categorical_crossentropy"`` (``from_logits=False``), for target rows such as one-hot.

    Forward, per sample, then the mean over the batch::

        p = y_pred / sum(y_pred)                 (rows that do not sum to one are rescaled)
        p = clip(p, EPSILON, 1 - EPSILON)        (EPSILON = 1e-7)
        L_i = -sum_j y_j * log(p_j)

    Backward: ``dL/dp_j = -y_j / p_j`` (0 where the clip was active), then through the division by the
    row sum (see ``_normalise_backward``), divided by n for the mean. With a softmax output the sum is
    already one, so p = y_pred.
    """

    name = "categorical_crossentropy"

    def forward(self, y_true, y_pred):
        self.y_true, self.y_pred = y_true, y_pred
        self.totals = np.sum(y_pred, axis=1, keepdims=True)       # S, (n, 1)
        self.p = y_pred / self.totals                              # (n, k)
        return float(np.mean(-np.sum(y_true * np.log(np.clip(self.p, EPSILON, 1 - EPSILON)), axis=1)))

    def backward(self):
        self._require_forward()
        p = self.p
        inside = (p > EPSILON) & (p < 1 - EPSILON)                 # where clip let p through unchanged
        grad_p = np.where(inside, -self.y_true / np.where(inside, p, 1.0), 0.0)
        return _normalise_backward(grad_p, p, self.totals) / p.shape[0]

    def check(self, y_true, y_pred):
        y_true, y_pred = super().check(y_true, y_pred)
        _check_probability_rows(y_pred)
        return y_true, y_pred


class SparseCategoricalCrossentropy(Loss):
    """Keras's ``"sparse_categorical_crossentropy"`` (``from_logits=False``), for integer labels.

    The same loss as :class:`CategoricalCrossentropy` with ``one_hot(labels)`` as targets, so only the
    label's entry counts. Per sample, then the mean over the batch::

        p = y_pred[label] / sum(y_pred)          (the label's share of the row)
        p = clip(p, EPSILON, 1 - EPSILON)        (EPSILON = 1e-7)
        L_i = -log(p)

    Backward, from the quotient rule on ``p = y'_label / S``: ``dL/dy'_j = 1/S - [j == label] / y'_label``
    (0 for the whole row where the clip was active), divided by n for the mean.

    A sigmoid output layer (as in the course's Keras run) gives rows that do not sum to one: this is the
    documented math, what Keras does on its JAX, PyTorch and numpy back ends. Keras on TensorFlow instead
    takes the values *before* the sigmoid and treats them as softmax logits, so the same model trains
    differently there. A softmax output layer is the right pairing: then S = 1 and the two agree.
    """

    name = "sparse_categorical_crossentropy"
    sparse = True

    def forward(self, labels, y_pred):
        self.labels, self.y_pred = labels, y_pred
        self.rows = np.arange(labels.shape[0])
        self.totals = y_pred.sum(axis=1, keepdims=True)            # S, (n, 1)
        self.y_label = y_pred[self.rows, labels]                   # y'_label, (n,)
        self.p = self.y_label / self.totals[:, 0]                  # the label's share, (n,)
        return float((-np.log(np.clip(self.p, EPSILON, 1 - EPSILON))).mean())

    def backward(self):
        self._require_forward()
        inside = (self.p > EPSILON) & (self.p < 1 - EPSILON)       # where clip let p through unchanged
        grad = np.ones_like(self.y_pred) / self.totals                       # 1/S in every column
        grad[self.rows, self.labels] -= 1.0 / np.where(inside, self.y_label, 1.0)   # - 1/y'_label
        grad *= inside[:, None]
        return grad / self.p.shape[0]

    def check(self, y_true, y_pred):
        y_pred = _validate.float_array("y_pred", y_pred, ndim=2)
        labels = integer_labels(y_true, y_pred.shape[1])
        if labels.shape[0] != y_pred.shape[0]:
            raise ValueError(f"labels and y_pred must hold the same number of samples, got {labels.shape[0]} "
                             f"labels and y_pred of shape {y_pred.shape}")
        _check_probability_rows(y_pred)
        return labels, y_pred


def _check_probability_rows(y_pred: np.ndarray) -> None:
    if np.any(y_pred < 0):
        raise ValueError(f"y_pred must be probabilities (>= 0), got a minimum of {y_pred.min():.4g}; "
                         f"use a softmax or sigmoid output layer")
    if np.any(np.sum(y_pred, axis=1) == 0):
        raise ValueError("y_pred has a row of all zeros: probabilities must not all be zero")


#: The training losses by the names Keras accepts in ``compile(loss=...)``.
LOSSES = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier) -> Loss:
    """A training loss from its Keras name (``"sparse_categorical_crossentropy"``) or a :class:`Loss`.

    Raises ``ValueError`` for an unknown name and ``TypeError`` for anything else.
    """
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {identifier!r}")
        return LOSSES[identifier]()
    raise TypeError(f"loss must be a name such as 'sparse_categorical_crossentropy' or an nnbook Loss, "
                    f"got {_validate.describe(identifier)}")
