"""Lessons 01, 03, 06: the loss, one number that says how wrong a prediction is.

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

Each formula is written once, in a small function without input checks (``_sse``, ``_crossentropy``,
...). The public functions check their input and call it; the loss classes a model trains with (at the
bottom) wrap the same functions and add the gradient, as Keras's ``LossFunctionWrapper`` does.

Shapes: rows are samples. One sample is a (k,) vector; a batch is (n, k).
"""

from __future__ import annotations

import numpy as np

from nnbook import _validate
from nnbook.encoding import integer_labels

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before their log is taken, as Keras does, so that a
#: confident wrong answer costs a large finite loss instead of infinity.
EPSILON = 1e-7


# ----- the formulas, once each (no input checks: the public functions below check, then call these) -----

def _sse(y_true, y_pred):
    """SSE of each sample: sum over j of (y_j - y'_j)^2, along the last axis."""
    return np.sum((y_true - y_pred) ** 2, axis=-1)


def _mse(y_true, y_pred) -> float:
    """The course's MSE of a batch (n, k): the mean over the samples of each sample's SSE."""
    return float(np.mean(_sse(y_true, y_pred)))


def _log_p(p):
    """log p, with p clipped to [EPSILON, 1 - EPSILON] first (Keras's rule)."""
    return np.log(p.clip(EPSILON, 1 - EPSILON))


def _inside(p):
    """True where the clip of ``_log_p`` leaves p as it is: there, and only there, the loss has a slope."""
    return (p > EPSILON) & (p < 1 - EPSILON)


def _crossentropy(y_true, p):
    """CE of each sample: -sum over j of y_j * log p_j, along the last axis (p clipped, see ``_log_p``)."""
    return -np.sum(y_true * _log_p(p), axis=-1)


def _sparse_crossentropy(labels, p):
    """CE of each sample with integer labels (n,): -log p[label], the one term of the sum that counts."""
    return -_log_p(p[np.arange(labels.shape[0]), labels])


def _normalise(y_pred):
    """Each row divided by its sum S (rows of a softmax already sum to 1). Returns (p, S), S of shape (n, 1)."""
    totals = y_pred.sum(axis=-1, keepdims=True)
    return y_pred / totals, totals


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
        per_sample = _crossentropy(y_true, _probabilities(y_pred))
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
    return _sparse_crossentropy(labels, _probabilities(y_pred))


def _probabilities(y_pred):
    """Checked rows of non-negative scores, each divided by its sum."""
    _check_probability_rows(y_pred, fix="for raw scores pass from_logits=True")
    return _normalise(y_pred)[0]


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


class _Crossentropy(Loss):
    """What the two cross-entropies share: the forward pass through the normalised rows ``p``."""

    def forward(self, y_true, y_pred):
        self.y_true, self.y_pred = y_true, y_pred
        self.p, self.totals = _normalise(y_pred)                        # p = y' / S, (n, k); S (n, 1)
        per_sample = self._per_sample(self.p)
        return float(per_sample.sum()) / per_sample.shape[0]           # the mean over the batch


class CategoricalCrossentropy(_Crossentropy):
    """Keras's ``"categorical_crossentropy"`` (``from_logits=False``), for target rows such as one-hot.

    Per sample, then the mean over the batch::

        p = y_pred / sum(y_pred)                 (rows that do not sum to one are rescaled)
        L_i = -sum_j y_j * log(clip(p_j))        (clip to [EPSILON, 1 - EPSILON], EPSILON = 1e-7)

    Backward: ``dL/dp_j = -y_j / p_j`` (0 where the clip was active), then through the division by the
    row sum ``S`` (``dp_j/dy'_k = (delta_jk - p_j) / S``), divided by n for the mean.
    """

    name = "categorical_crossentropy"

    def _per_sample(self, p):
        return _crossentropy(self.y_true, p)

    def backward(self):
        self._require_forward()
        inside = _inside(self.p)
        grad_p = np.where(inside, -self.y_true / np.where(inside, self.p, 1.0), 0.0)
        grad = (grad_p - np.sum(grad_p * self.p, axis=1, keepdims=True)) / self.totals
        return grad / self.p.shape[0]

    def softmax_delta(self):
        """dL/dz at the input z of a softmax output layer, in one step (lesson 05)::

            delta = (probabilities - y) / n

        what ``backward()`` followed by the softmax's backward gives, without the softmax's Jacobian. A
        target whose probability the clip held passes no gradient, as in ``backward``; in general
        ``delta = (p * sum_j y_j [inside_j] - y [inside]) / n``, which is (p - y) / n when nothing is clipped.
        """
        self._require_forward()
        counted = self.y_true * _inside(self.p)                          # the targets the clip let through
        return (self.p * np.sum(counted, axis=1, keepdims=True) - counted) / self.p.shape[0]

    def check(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred, ndim=2)
        _check_probability_rows(y_pred, fix="use a softmax or sigmoid output layer")
        return y_true, y_pred


class SparseCategoricalCrossentropy(_Crossentropy):
    """Keras's ``"sparse_categorical_crossentropy"`` (``from_logits=False``), for integer labels.

    The same loss as :class:`CategoricalCrossentropy` with ``one_hot(labels)`` as targets, so only the
    label's entry counts: ``L_i = -log(clip(p_label))``, ``p = y_pred / sum(y_pred)``.

    Backward, from the quotient rule on ``p_label = y'_label / S``: ``dL/dy'_j = 1/S - [j == label] /
    y'_label`` (0 for the whole row where the clip held p_label), divided by n for the mean.

    A sigmoid output layer (as in the course's Keras run) gives rows that do not sum to one: this is the
    documented math, what Keras does on its JAX, PyTorch and numpy back ends. Keras on TensorFlow instead
    takes the values *before* the sigmoid and treats them as softmax logits, so the same model trains
    differently there. A softmax output layer is the right pairing: then S = 1 and the two agree.
    """

    name = "sparse_categorical_crossentropy"
    sparse = True

    def _per_sample(self, p):
        return _sparse_crossentropy(self.y_true, p)

    def _label_entries(self):
        """(rows, labels, inside): the index of each label's entry, and whether the clip let it through (n, 1)."""
        rows, labels = np.arange(self.y_true.shape[0]), self.y_true
        return rows, labels, _inside(self.p[rows, labels])[:, None]

    def backward(self):
        self._require_forward()
        rows, labels, inside = self._label_entries()
        grad = np.ones_like(self.p) / self.totals                                   # 1/S in every column
        grad[rows, labels] -= 1.0 / np.where(inside[:, 0], self.y_pred[rows, labels], 1.0)   # - 1/y'_label
        grad *= inside
        grad /= self.p.shape[0]
        return grad

    def softmax_delta(self):
        """dL/dz at the input z of a softmax output layer, in one step (lesson 05)::

            delta = (probabilities - one_hot(labels)) / n

        what ``backward()`` followed by the softmax's backward gives, without the softmax's Jacobian. A row
        whose label probability the clip held passes no gradient, as in ``backward``.
        """
        self._require_forward()
        rows, labels, inside = self._label_entries()
        delta = self.p.copy()
        delta[rows, labels] -= 1.0                                       # p - one_hot(labels)
        delta *= inside                                                  # no gradient where the clip held
        delta /= self.p.shape[0]
        return delta

    def check(self, y_true, y_pred):
        labels, y_pred = _labels_and_rows(y_true, y_pred)
        _check_probability_rows(y_pred, fix="use a softmax or sigmoid output layer")
        return labels, y_pred


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
