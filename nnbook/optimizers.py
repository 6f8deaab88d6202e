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

An optimizer updates one float64 array of weights in place: a model hands it *all* its weights as one
flat vector, so ``w <- w - learning_rate * g`` is a single line over every weight of every layer. The
optimizer's state (``m``, ``v``) has the same shape. Keras calls this step ``apply``; here it is ``update``.
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
        self._shape = None

    def update(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Change ``params`` in place one step against ``grads``.

        Args:
            params: float64 array of weights (a model passes its flat parameter vector).
            grads: dL/dparams, the same shape.
        """
        if not isinstance(params, np.ndarray) or params.dtype != np.float64:
            raise TypeError(f"params must be a float64 numpy array (updated in place), "
                            f"got {_validate.describe(params)}")
        if not isinstance(grads, np.ndarray) or grads.shape != params.shape:
            raise ValueError(f"grads must be an array of the same shape as params {params.shape}, "
                             f"got {_validate.describe(grads)}")
        if self._shape is None:
            self._shape = params.shape
            self.build(params)
        elif params.shape != self._shape:
            raise ValueError(f"this optimizer holds state for weights of shape {self._shape}, got params of "
                             f"shape {params.shape}: create a new optimizer for each model")
        self.iterations += 1
        self.step(params, grads)

    def build(self, params: np.ndarray) -> None:
        """Create the optimizer's state for weights shaped like ``params`` (none for plain SGD)."""

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """The update rule itself (``iterations`` already counts this step)."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, Keras's defaults: ``SGD(learning_rate=0.01, momentum=0.0)``.

    ``w <- w - learning_rate * g``; with momentum, ``m <- momentum * m - learning_rate * g; w <- w + m``.
    """

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0):
        super().__init__(learning_rate)
        self.momentum = _validate.fraction("momentum", momentum, upper_included=True)
        self.m = None                                       # the velocity, when momentum > 0

    def build(self, params):
        if self.momentum > 0:
            self.m = np.zeros_like(params)

    def step(self, params, grads):
        if self.momentum > 0:
            self.m *= self.momentum
            self.m -= self.learning_rate * grads            # m <- momentum * m - lr * g
            params += self.m                                # w <- w + m
        else:
            params -= self.learning_rate * grads            # w <- w - lr * g

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum})"


class Adam(Optimizer):
    """Adam with Keras's defaults and formulas (see the module docstring).

    ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``
    """

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1 = _validate.fraction("beta_1", beta_1, upper_included=False)
        self.beta_2 = _validate.fraction("beta_2", beta_2, upper_included=False)
        self.epsilon = _validate.positive_number("epsilon", epsilon)
        self.m = self.v = None          # running means of g and of g^2, shaped like the weights

    def build(self, params):
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)

    def step(self, params, grads):
        t = self.iterations
        alpha = self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        self.m += (grads - self.m) * (1 - self.beta_1)
        self.v += (grads * grads - self.v) * (1 - self.beta_2)
        params -= alpha * self.m / (np.sqrt(self.v) + self.epsilon)

    def __repr__(self):
        return (f"Adam(learning_rate={self.learning_rate}, beta_1={self.beta_1}, beta_2={self.beta_2}, "
                f"epsilon={self.epsilon})")


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
