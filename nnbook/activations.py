"""Lessons 01, 05, 07: activation functions, each with its forward and backward pass side by side.

A dense layer computes ``z = x @ W + b`` and then ``a = f(z)`` for an activation ``f`` applied to every
entry. Backpropagation needs, for the gradient ``dL/da`` that arrives from the layer above, the gradient
``dL/dz``. For the element-wise activations this is ``dL/dz = dL/da * f'(z)``, and each ``f'`` can be
written with the output ``a`` alone, so ``backward`` takes ``a`` (what ``forward`` returned)::

    name      forward  a = f(z)                    backward  dL/dz
    linear    z                                    dL/da
    relu      max(z, 0)                            dL/da * (a > 0)
    sigmoid   1 / (1 + exp(-z))                    dL/da * a * (1 - a)
    tanh      tanh(z)                              dL/da * (1 - a^2)
    softmax   exp(z_j) / sum_k exp(z_k), per row   a * (dL/da - sum_k dL/da_k * a_k), per row

Softmax mixes the entries of a row (each output depends on every input), so its backward is the product
of its Jacobian ``da_j/dz_i = a_j (delta_ij - a_i)`` with ``dL/da``, worked out in the formula above.

Shapes: rows are samples. ``z``, ``a`` and both gradients are (n, units).

Every activation is an object you can call like Keras's functions (``activations.relu(z)``); a layer
takes one by name: ``Dense(16, activation="relu")``.
"""

from __future__ import annotations

import numpy as np

from nnbook import _validate


class Activation:
    """An element-wise (or, for softmax, row-wise) function with its derivative.

    Subclasses define ``forward(z) -> a`` and ``backward(a, grad_a) -> grad_z``; both take and return
    (n, units) arrays. Calling the object, ``act(z)``, checks ``z`` and runs ``forward``.
    """

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        """a = f(z), for a float array z of shape (n, units). No input checks: see ``__call__``."""
        raise NotImplementedError

    def backward(self, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """dL/dz from the forward output ``a`` and the incoming gradient ``grad_a = dL/da`` (same shape)."""
        raise NotImplementedError

    def __call__(self, z) -> np.ndarray:
        """Check ``z`` (finite numbers, 1-D or 2-D) and return ``forward(z)``."""
        z = _validate.float_array("z", z, ndim=(1, 2))
        if z.ndim == 1:                       # one sample: treat it as a batch of one row
            return self.forward(z.reshape(1, -1))[0]
        return self.forward(z)

    def __repr__(self) -> str:
        return self.name


class Linear(Activation):
    """The identity, ``a = z``: a layer with no activation."""

    name = "linear"

    def forward(self, z):
        return z

    def backward(self, a, grad_a):
        return grad_a


class ReLU(Activation):
    """Rectified linear unit, ``a = max(z, 0)``; its slope is 1 where z > 0 and 0 elsewhere."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def backward(self, a, grad_a):
        # f'(z) = 1 where z > 0, else 0; a > 0 exactly where z > 0. At z = 0 the slope is taken as 0,
        # as Keras does.
        return grad_a * (a > 0)


class Sigmoid(Activation):
    """Logistic sigmoid, ``a = 1 / (1 + exp(-z))``, squashing any number into (0, 1)."""

    name = "sigmoid"

    def forward(self, z):
        # 1 / (1 + exp(-z)) = exp(-log(1 + exp(-z))). numpy's logaddexp(0, -z) is log(exp(0) + exp(-z))
        # computed without overflow, where exp(-z) alone would reach infinity (and warn) for z < -709.
        return np.exp(-np.logaddexp(0.0, -z))

    def backward(self, a, grad_a):
        # f'(z) = f(z) (1 - f(z)) = a (1 - a)
        return grad_a * a * (1.0 - a)


class Tanh(Activation):
    """Hyperbolic tangent, ``a = tanh(z)``, squashing any number into (-1, 1)."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def backward(self, a, grad_a):
        # f'(z) = 1 - tanh(z)^2 = 1 - a^2
        return grad_a * (1.0 - a * a)


class Softmax(Activation):
    """Softmax over each row, ``a_j = exp(z_j) / sum_k exp(z_k)``: positive outputs that sum to one."""

    name = "softmax"

    def forward(self, z):
        # Subtracting the row's largest score changes nothing mathematically (it cancels in the ratio)
        # and keeps exp from overflowing.
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def backward(self, a, grad_a):
        # dL/dz_i = sum_j dL/da_j * da_j/dz_i = sum_j dL/da_j * a_j (delta_ij - a_i)
        #         = a_i * (dL/da_i - sum_j dL/da_j * a_j)
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


linear = Linear()
relu = ReLU()
sigmoid = Sigmoid()
tanh = Tanh()
softmax = Softmax()

#: Every activation by the name Keras gives it.
ACTIVATIONS = {act.name: act for act in (linear, relu, sigmoid, tanh, softmax)}


def get(identifier) -> Activation:
    """The activation for a name (``"relu"``), an :class:`Activation`, or ``None`` (meaning linear).

    Raises ``ValueError`` for an unknown name and ``TypeError`` for anything else.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, str):
        if identifier not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)} or None, got {identifier!r}")
        return ACTIVATIONS[identifier]
    raise TypeError(f"activation must be a name such as 'relu', an nnbook Activation or None, "
                    f"got {_validate.describe(identifier)}")
