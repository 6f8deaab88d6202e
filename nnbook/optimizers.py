"""Lessons 06-11: optimizers, the rule that turns gradients into a weight update.

Plain gradient descent (lesson 04) moves every weight against its slope::

    w <- w - learning_rate * g                        (g = dL/dw)

``SGD`` is that rule, optionally with momentum: a velocity ``m`` that remembers past steps::

    m <- momentum * m - learning_rate * g
    w <- w + m

``Adam`` keeps two running averages per weight, of the gradient (``m``) and of its square (``v``), and
takes a step of about ``learning_rate`` in the direction of ``m``, scaled down where the gradient has been
large. Keras's formulas, with the bias correction folded into the step size ``alpha`` (t counts the
updates from 1)::

    alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
    m <- m + (g - m) * (1 - beta_1)
    v <- v + (g^2 - v) * (1 - beta_2)
    w <- w - alpha * m / (sqrt(v) + epsilon)

(PyTorch adds epsilon to the bias-corrected sqrt(v) instead, with a default of 1e-8.)

An optimizer takes the weights and their gradients as two lists of arrays, ``[W0, b0, W1, b1, ...]`` and
``[dL/dW0, dL/db0, ...]`` (a model passes its layers' own arrays), and loops over the pairs, changing each
weight array in place, as lesson 06's loop does with ``layer.kernel -= learning_rate * layer.grad_kernel``.
Its state (``m``, ``v``) holds one array per weight array. Keras calls this step ``apply``; here it is
``update``.
"""

from __future__ import annotations

import math

import numpy as np

from nnbook import _validate


class Optimizer:
    """Base class: holds the learning rate and the update count, and checks the arrays it is given."""

    name = "optimizer"

    def __init__(self, learning_rate):
        self.learning_rate = _validate.positive_number("learning_rate", learning_rate)
        #: how many updates have been applied; Adam's t
        self.iterations = 0
        self._shapes = None
        self._weights = None       # the arrays it was built for: its state belongs to them

    def update(self, weights, gradients) -> None:
        """Move every weight one step against its gradient, in place.

        Args:
            weights: a list of float arrays (a model passes ``[kernel, bias]`` of each layer, in
                ``get_weights()`` order), or one float array.
            gradients: dL/dw for each, the same shapes.
        """
        weights, gradients = _pairs(weights, gradients)
        shapes = [w.shape for w in weights]
        if self._shapes is None:
            self._shapes, self._weights = shapes, list(weights)
            self.build(weights)
        elif shapes != self._shapes:
            raise ValueError(f"this optimizer holds state for weights of shapes {self._shapes}, got weights of "
                             f"shapes {shapes}: create a new optimizer for each model")
        elif any(w is not mine for w, mine in zip(weights, self._weights)):
            # the same shapes, other arrays: another model's weights would silently share this one's m, v and t
            raise ValueError("this optimizer holds state (its step count and any running averages) for other "
                             "weight arrays of the same shapes, another model's: create a new optimizer for "
                             "each model")
        self.iterations += 1
        self.step(weights, gradients)

    def build(self, weights: list[np.ndarray]) -> None:
        """Create the optimizer's state, one array shaped like each weight array (none for plain SGD)."""

    def step(self, weights: list[np.ndarray], gradients: list[np.ndarray]) -> None:
        """The update rule itself, for each (weight, gradient) pair (``iterations`` already counts this step)."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, Keras's defaults: ``SGD(learning_rate=0.01, momentum=0.0)``.

    For each weight array ``w`` and its gradient ``g``::

        w <- w - learning_rate * g                                  (lesson 06)
        with momentum:  m <- momentum * m - learning_rate * g;  w <- w + m
    """

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0):
        super().__init__(learning_rate)
        self.momentum = _validate.fraction("momentum", momentum, upper_included=True)
        self.m = None                                       # the velocities, when momentum > 0

    def step(self, weights, gradients):
        if self.momentum == 0:
            for w, g in zip(weights, gradients):
                w -= self.learning_rate * g                     # w <- w - lr * g
            return
        for w, g, m in zip(weights, gradients, self.m):
            m *= self.momentum
            m -= self.learning_rate * g                         # m <- momentum * m - lr * g
            w += m                                              # w <- w + m

    def build(self, weights):
        if self.momentum > 0:
            self.m = [np.zeros_like(w) for w in weights]

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum})"


class Adam(Optimizer):
    """Adam with Keras's defaults and formulas: ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999,
    epsilon=1e-7)``. At step t, for each weight array ``w``, its gradient ``g`` and its averages ``m``, ``v``::

        alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
        m <- m + (g - m) * (1 - beta_1)
        v <- v + (g^2 - v) * (1 - beta_2)
        w <- w - alpha * m / (sqrt(v) + epsilon)
    """

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1 = _validate.fraction("beta_1", beta_1, upper_included=False)
        self.beta_2 = _validate.fraction("beta_2", beta_2, upper_included=False)
        self.epsilon = _validate.positive_number("epsilon", epsilon)
        self.m = self.v = None          # running means of g and of g^2, one array per weight array

    def step(self, weights, gradients):
        t = self.iterations
        alpha = self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        for w, g, m, v in zip(weights, gradients, self.m, self.v):
            m += (g - m) * (1 - self.beta_1)
            v += (g * g - v) * (1 - self.beta_2)
            w -= alpha * m / (np.sqrt(v) + self.epsilon)

    def build(self, weights):
        self.m = [np.zeros_like(w) for w in weights]
        self.v = [np.zeros_like(w) for w in weights]

    def __repr__(self):
        return (f"Adam(learning_rate={self.learning_rate}, beta_1={self.beta_1}, beta_2={self.beta_2}, "
                f"epsilon={self.epsilon})")


def _pairs(weights, gradients):
    """``weights`` and ``gradients`` as two lists of arrays of matching shapes, the weights float arrays
    that can change in place."""
    if isinstance(weights, np.ndarray):
        weights, gradients = [weights], [gradients]
    if not isinstance(weights, (list, tuple)):
        raise TypeError(f"weights must be a list of float numpy arrays (updated in place), "
                        f"got {_validate.describe(weights)}")
    if not isinstance(gradients, (list, tuple)) or len(gradients) != len(weights):
        raise ValueError(f"gradients must be a list of {len(weights)} arrays, one per weight array, "
                         f"got {_validate.describe(gradients)}")
    for i, (w, g) in enumerate(zip(weights, gradients)):
        if not isinstance(w, np.ndarray) or w.dtype.kind != "f":          # float16, 32 or 64
            raise TypeError(f"weights[{i}] must be a float numpy array (updated in place), "
                            f"got {_validate.describe(w)}")
        if not isinstance(g, np.ndarray) or g.shape != w.shape:
            raise ValueError(f"gradients[{i}] must be an array of the same shape as weights[{i}] {w.shape}, "
                             f"got {_validate.describe(g)}")
    return weights, gradients


#: Optimizers by the names Keras accepts in ``compile(optimizer=...)``, with their default settings.
OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get(identifier) -> Optimizer:
    """An optimizer from a name (``"adam"``, with defaults) or an :class:`Optimizer` instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        if identifier.lower() not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)} or an nnbook optimizer such as "
                             f"Adam(learning_rate=0.0001), got {identifier!r}")
        return OPTIMIZERS[identifier.lower()]()
    raise TypeError(f"optimizer must be a name such as 'adam' or an nnbook optimizer, "
                    f"got {_validate.describe(identifier)}")
