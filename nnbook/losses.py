"""Lessons 01, 03, 05-07: the loss, one number that says how wrong a prediction is.

For one sample with true vector ``y`` (one-hot) and predicted vector ``y'`` (probabilities), both of
length k, the *sum of squared errors* is::

    SSE = sum over j of (y_j - y'_j)^2

For the lesson's cat picture, y = (1, 0, 0) and y' = (0.37, 0.50, 0.13)::

    SSE = (1 - 0.37)^2 + (0 - 0.50)^2 + (0 - 0.13)^2 = 0.3969 + 0.25 + 0.0169 = 0.6638

A batch of n samples is scored by the *mean squared error*, the mean over the samples of each sample's
SSE::

    MSE = (1/n) * sum over i of SSE_i

Classifiers are usually trained with *cross-entropy* instead, minus the log of the probability given to
the true class (lesson 05)::

    CE = -sum over j of y_j * log(y'_j)          (= -log y'_label for a one-hot y)

The squared errors are written once, in small functions without input checks (``_sse``, ``_mse``); the
cross-entropies once, in the loss classes a model trains with (at the bottom), which add the gradient as
a layer does. The public functions check their input and call them.

Shapes: rows are samples. One sample is a (k,) vector; a batch is (n, k).
"""

from __future__ import annotations

import numpy as np

from nnbook import _validate
from nnbook.encoding import integer_labels

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before their log is taken, as Keras does, so that a
#: confident wrong answer costs a large finite loss instead of infinity.
EPSILON = 1e-7
#: Rows of predictions whose sums are this close to 1 count as probabilities already (a softmax's rows sum to
#: one up to rounding, about 1e-16); others are divided by their sums first, as Keras does.
SUMS_TO_ONE = 1e-9


# ----- the formulas, once each (no input checks: the public functions below check, then call these) -----

def _sse(y_true, y_pred):
    """SSE of each sample: sum over j of (y_j - y'_j)^2, along the last axis."""
    return np.sum((y_true - y_pred) ** 2, axis=-1)


def _mse(y_true, y_pred) -> float:
    """The course's MSE of a batch (n, k): the mean over the samples of each sample's SSE."""
    return float(np.mean(_sse(y_true, y_pred)))


def _clip(p):
    """p clipped to [EPSILON, 1 - EPSILON] (Keras's rule), so that its log stays finite. Where the clip
    changes p, the loss does not move with p: its gradient there is 0."""
    return p.clip(EPSILON, 1 - EPSILON)


def _rescaled(y_pred):
    """Rows that need not sum to one, made to: ``(y_pred / S, S)`` with S (n, 1) the row sums, as Keras does
    on JAX, PyTorch and numpy (two sigmoid outputs, lesson 07). When every row already sums to one (a
    softmax's, to rounding), ``(y_pred, None)``: the probabilities are used as they are."""
    totals = y_pred.sum(axis=-1, keepdims=True)
    if (np.abs(totals - 1.0) <= SUMS_TO_ONE).all():
        return y_pred, None
    return y_pred / totals, totals


def _rescaled_backward(grad_p, p, totals):
    """Back through ``p = y_pred / S`` (quotient rule, ``dp_j/dy'_i = (delta_ij - p_j) / S``):
    ``dL/dy'_i = (dL/dp_i - sum_j dL/dp_j p_j) / S``; ``grad_p`` unchanged where nothing was rescaled."""
    if totals is None:
        return grad_p
    return (grad_p - np.sum(grad_p * p, axis=-1, keepdims=True)) / totals


def _log_softmax(logits):
    """log softmax of raw scores, with the largest score subtracted first so that exp never overflows."""
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


# ----- the functions lessons call: check the input, then apply the formula -----------------------------

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
    return _one_or_many(_sse(y_true, y_pred), y_true)


def mse(y_true, y_pred) -> float:
    """Mean squared error of a batch, as the course defines it: the mean over samples of each sample's SSE.

    ``MSE = (1/n) * sum_i sum_j (y_ij - y'_ij)^2``

    Keras's ``loss="mse"`` also averages over the k outputs: it is this value divided by k
    (:class:`MeanSquaredError`). Lesson 03 shows both numbers side by side.

    Args:
        y_true: (n, k) true vectors, one row per sample.
        y_pred: (n, k) predictions.

    Returns:
        a float.
    """
    y_true, y_pred = _pair(y_true, y_pred, ndim=2)
    if y_true.shape[0] == 0:
        raise ValueError("y_true must hold at least one sample, got shape (0, k)")
    return _mse(y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False):
    """Cross-entropy between one-hot (or soft) targets and predicted probabilities.

    ``CE = -sum_j y_j * log(p_j)``, computed stably:

    - ``from_logits=False`` (Keras's default): ``y_pred`` are non-negative scores. They are divided by
      their sum (so rows that do not sum to one, such as two sigmoid outputs, are treated as Keras on
      JAX or PyTorch treats them), clipped to ``[EPSILON, 1 - EPSILON]``, then logged.
    - ``from_logits=True``: ``y_pred`` are raw scores; ``log softmax`` is taken with the largest score
      subtracted first, so large scores never overflow.

    Args:
        y_true: (k,) or (n, k) target rows, usually one-hot.
        y_pred: same shape: probabilities, or logits with ``from_logits=True``.

    Returns:
        a float for one sample, a (n,) array with one loss per sample for a batch (take its mean for the
        batch loss, as Keras does).
    """
    y_true, y_pred = _pair(y_true, y_pred, ndim=(1, 2))
    if from_logits:
        per_sample = -np.sum(y_true * _log_softmax(y_pred), axis=-1)     # log p straight from the scores
    else:
        _check_probability_rows(y_pred, fix="for raw scores pass from_logits=True")
        per_sample = CategoricalCrossentropy().per_sample(y_true, y_pred)
    return _one_or_many(per_sample, y_true)


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
    labels, y_pred = _labels_and_rows(labels, y_pred)
    if from_logits:
        return -_log_softmax(y_pred)[np.arange(labels.shape[0]), labels]  # log p straight from the scores
    _check_probability_rows(y_pred, fix="for raw scores pass from_logits=True")
    return SparseCategoricalCrossentropy().per_sample(labels, y_pred)


def _one_or_many(per_sample, y_true):
    """A float for one sample (y_true 1-D), else the (n,) array."""
    return float(per_sample) if y_true.ndim == 1 else per_sample


def _pair(y_true, y_pred, *, ndim):
    y_true = _validate.float_array("y_true", y_true, ndim=ndim)
    y_pred = _validate.float_array("y_pred", y_pred, ndim=ndim)
    _validate.same_shape("y_true", y_true, "y_pred", y_pred)
    return y_true, y_pred


def _labels_and_rows(labels, y_pred):
    y_pred = _validate.float_array("y_pred", y_pred, ndim=2)
    labels = integer_labels(labels, y_pred.shape[1])
    if labels.shape[0] != y_pred.shape[0]:
        raise ValueError(f"labels and y_pred must hold the same number of samples, got {labels.shape[0]} "
                         f"labels and y_pred of shape {y_pred.shape}")
    return labels, y_pred


def _check_probability_rows(y_pred: np.ndarray, fix: str) -> None:
    if np.any(y_pred < 0):
        raise ValueError(f"y_pred must be probabilities (>= 0), got a minimum of {y_pred.min():.4g}; {fix}")
    if np.any(np.sum(y_pred, axis=-1) == 0):
        raise ValueError("y_pred has a row of all zeros: probabilities must not all be zero")


# ---------------------------------------------------------------------------------------------------------
# Lessons 05-07: the losses a model trains with, by Keras's names and with Keras's meaning. Each wraps its
# formula above and adds the gradient, in the same pattern as a layer: ``forward(y_true, y_pred)`` returns
# the batch loss (a float, the mean over the batch) and caches what the gradient needs; ``backward()`` then
# returns dL/dy_pred, shape (n, k), for that batch. They do no input checks (a model checks its data once
# per fit); calling the object, ``loss(y_true, y_pred)``, checks its input and returns ``forward``.
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
        y_true, y_pred = _pair(y_true, y_pred, ndim=2)
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

    ``L = (1/(n k)) sum_i sum_j (y_ij - y'_ij)^2``: the course's MSE divided by k.

    Gradient: ``dL/dy'_ij = 2 (y'_ij - y_ij) / (n k)``.
    """

    name = "mse"

    def forward(self, y_true, y_pred):
        self.y_true, self.y_pred = y_true, y_pred
        return _mse(y_true, y_pred) / y_true.shape[1]         # Keras's mse = the course's MSE / k

    def backward(self):
        self._require_forward()
        return 2.0 * (self.y_pred - self.y_true) / self.y_pred.size


class SparseCategoricalCrossentropy(Loss):
    """Keras's ``"sparse_categorical_crossentropy"``, for integer labels ``y`` (n,): lesson 05's loss.

    For outputs ``a`` (n, k) whose rows sum to one (a softmax output layer), lesson 05's formulas::

        forward:   L = mean over the batch of -log a[y]        (a[y] clipped to [EPSILON, 1 - EPSILON])
        backward:  dL/da = -1 / (n * a[y]) at the label, 0 at every other output (and 0 where the clip held)

    Rows that do not sum to one (two sigmoid outputs, lesson 07) are first divided by their sum S, as Keras
    does on JAX, PyTorch and numpy: the formulas run on ``p = a / S``, and ``backward`` then goes back
    through that division too (``_rescaled_backward``). A softmax output layer is the right pairing.
    """

    name = "sparse_categorical_crossentropy"
    sparse = True

    def per_sample(self, y_true, y_pred) -> np.ndarray:
        """-log a[y] for each sample, shape (n,); caches what ``backward`` needs."""
        self.y_true, self.y_pred = y_true, y_pred
        self.p, self.totals = _rescaled(y_pred)                  # p = a, or a / S for rows not summing to one
        self.p_label = self.p[np.arange(y_true.shape[0]), y_true]       # a[y], one per sample
        self.clipped = _clip(self.p_label)
        return -np.log(self.clipped)

    def forward(self, y_true, y_pred):
        per_sample = self.per_sample(y_true, y_pred)
        return float(per_sample.sum()) / per_sample.shape[0]             # the mean over the batch

    def backward(self):
        self._require_forward()
        n = self.p.shape[0]
        at_label = np.where(self.clipped == self.p_label, -1.0 / (n * self.clipped), 0.0)  # 0 if the clip held
        grad = np.zeros_like(self.p)                                    # 0 at every other output
        grad[np.arange(n), self.y_true] = at_label                      # -1/(n a[y]) at the label
        return _rescaled_backward(grad, self.p, self.totals)

    def check(self, y_true, y_pred):
        labels, y_pred = _labels_and_rows(y_true, y_pred)
        _check_probability_rows(y_pred, fix="use a softmax or sigmoid output layer")
        return labels, y_pred


class CategoricalCrossentropy(Loss):
    """Keras's ``"categorical_crossentropy"``, for target rows ``y`` (n, k) such as one-hot rows.

    For outputs ``a`` (n, k) whose rows sum to one (a softmax output layer)::

        forward:   L = mean over the batch of -sum_j y_j * log a_j     (a clipped to [EPSILON, 1 - EPSILON])
        backward:  dL/da_j = -y_j / (n * a_j)                          (0 where the clip held a_j)

    With one-hot targets this is :class:`SparseCategoricalCrossentropy`. Rows that do not sum to one are
    first divided by their sum, as there.
    """

    name = "categorical_crossentropy"

    def per_sample(self, y_true, y_pred) -> np.ndarray:
        """-sum_j y_j log a_j for each sample, shape (n,) (or a float for 1-D rows); caches what ``backward``
        needs."""
        self.y_true, self.y_pred = y_true, y_pred
        self.p, self.totals = _rescaled(y_pred)
        self.clipped = _clip(self.p)
        return -np.sum(y_true * np.log(self.clipped), axis=-1)

    def forward(self, y_true, y_pred):
        per_sample = self.per_sample(y_true, y_pred)
        return float(per_sample.sum()) / per_sample.shape[0]             # the mean over the batch

    def backward(self):
        self._require_forward()
        n = self.p.shape[0]
        grad = np.where(self.clipped == self.p, -self.y_true / (n * self.clipped), 0.0)   # -y_j / (n a_j)
        return _rescaled_backward(grad, self.p, self.totals)

    def check(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred, ndim=2)
        _check_probability_rows(y_pred, fix="use a softmax or sigmoid output layer")
        return y_true, y_pred


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
