"""Lessons 05-11: the dense layer, forward and backward side by side.

A dense (fully connected) layer with kernel ``W`` (in, out), bias ``b`` (out,) and activation ``f``::

    forward:   z = x @ W + b          a = f(z)

Backward receives ``dL/da`` from the layer above (or from the loss) and returns ``dL/dx`` for the layer
below. On the way it stores the gradients of its own weights::

    delta  = dL/dz = f.backward(a, dL/da)          (for relu: dL/da * (a > 0); see nnbook.activations)
    dL/dW  = x.T @ delta                           (in, out): one gradient per weight
    dL/db  = sum of delta over the samples         (out,)
    dL/dx  = delta @ W.T                           (n, in): what the layer below receives

Shapes: rows are samples, x is (n, in), z, a and delta are (n, out). In the code ``grad_kernel`` is dL/dW
and ``grad_bias`` is dL/db (Nielsen's ``nabla_w`` and ``nabla_b``, summed over the batch).
"""

from __future__ import annotations

import math

import numpy as np

from nnbook import _validate, activations, utils


class Dense:
    """A fully connected layer, ``a = activation(x @ kernel + bias)``, as in Keras (lesson 05).

    The layer keeps its own weights and, after ``backward``, their gradients::

        forward(x):       z = x @ kernel + bias              a = activation(z)
        backward(grad_a): delta = dL/dz = activation.backward(a, grad_a)
                          grad_kernel = x.T @ delta          (in, units)
                          grad_bias = delta summed over the samples   (units,)
                          returns dL/dx = delta @ kernel.T    (n, in), for the layer below

    Training then moves each weight against its gradient (lesson 06):
    ``layer.kernel -= learning_rate * layer.grad_kernel`` and the same for the bias.

    Args:
        units: the number of outputs (neurons), a whole number >= 1.
        input_shape: ``(in,)``, the number of input features; needed on the first layer of a model
            only. Without it the layer is built when it first sees data.
        activation: ``"relu"``, ``"sigmoid"``, ``"softmax"``, ``"tanh"``, ``"linear"`` or ``None``
            (linear), or an :class:`nnbook.activations.Activation`.
        name: the layer's name in ``summary()``; a model names unnamed layers dense, dense_1, ...

    Attributes (after the layer is built):
        kernel: (in, units) weights, glorot-uniform: uniform in [-limit, limit], limit = sqrt(6 / (in + units)).
        bias: (units,) zeros.
        grad_kernel, grad_bias: dL/dkernel and dL/dbias from the last ``backward``.
        x, a: the last forward pass's input and output, which ``backward`` needs.
    """

    def __init__(self, units, input_shape=None, activation=None, name=None):
        self.units = _validate.whole_number("units", units, minimum=1)
        self.input_dim = None if input_shape is None else _input_dim(input_shape)
        self.activation = activations.get(activation)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string, got {_validate.describe(name)}")
        self.name = name
        self.kernel = self.bias = None
        self.grad_kernel = self.grad_bias = None
        self.x = self.a = None                      # the last forward's input and output, for backward

    # ----- the math -------------------------------------------------------------------------------------

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``a = f(x @ W + b)`` for x (n, in); caches x and a for ``backward``. Returns a (n, units).

        No input checks (a model checks its data once per fit); calling the layer, ``layer(x)``, checks.
        """
        self.x = x
        z = x @ self.kernel + self.bias                         # z = x W + b, (n, units)
        self.a = self.activation.forward(z)
        return self.a

    def backward(self, grad_a: np.ndarray) -> np.ndarray:
        """From ``grad_a = dL/da`` (n, units): store dL/dW and dL/db, return ``dL/dx`` (n, in)."""
        if self.x is None:
            raise RuntimeError("backward needs the cache of a forward pass: call forward(x) first")
        delta = self.activation.backward(self.a, grad_a)       # dL/dz, (n, units)
        self.grad_kernel = self.x.T @ delta                     # dL/dW = x.T @ delta, (in, units)
        self.grad_bias = delta.sum(axis=0)                      # dL/db = sum of delta over samples, (units,)
        return delta @ self.kernel.T                            # dL/dx = delta @ W.T, (n, in)

    # ----- building -------------------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        """True once the kernel and bias exist."""
        return self.kernel is not None

    def count_params(self, input_dim: int | None = None) -> int:
        """The number of weights: ``in * units + units`` (kernel plus bias)."""
        input_dim = self.input_dim if input_dim is None else input_dim
        if input_dim is None:
            raise ValueError(f"layer {self.name or 'dense'} is not built yet: give the first layer "
                             f"input_shape=(features,) or fit the model once")
        return input_dim * self.units + self.units

    def build(self, input_dim: int, rng: np.random.Generator | None = None) -> None:
        """Create the kernel (glorot-uniform) and the bias (zeros) for ``input_dim`` input features.

        Args:
            input_dim: the number of input features, ``in``.
            rng: the random generator for the kernel; by default one from :mod:`nnbook.utils`.

        A layer that already has weights for ``input_dim`` inputs keeps them; ``rng`` is then unused.
        """
        input_dim = _validate.whole_number("input_dim", input_dim, minimum=1)
        if self.input_dim is not None and input_dim != self.input_dim:
            raise ValueError(f"x must have {self.input_dim} feature column(s), as the layer's "
                             f"input_shape=({self.input_dim},) says, got {input_dim}")
        self.input_dim = input_dim
        if self.built:
            return
        rng = utils.new_generator() if rng is None else rng
        limit = math.sqrt(6.0 / (input_dim + self.units))
        self.kernel = rng.uniform(-limit, limit, size=(input_dim, self.units))
        self.bias = np.zeros(self.units)

    def __call__(self, x) -> np.ndarray:
        """Check ``x`` (n, in) and return ``forward(x)``, building the layer first if needed."""
        x = _validate.float_array("x", x, ndim=2)
        if self.input_dim is not None:
            x = _validate.check_x("x", x, self.input_dim, owner="the layer")
        if not self.built:
            self.build(x.shape[1])
        return self.forward(x)

    # ----- weights --------------------------------------------------------------------------------------

    def get_weights(self) -> list[np.ndarray]:
        """Copies of ``[kernel, bias]``."""
        self._require_built()
        return [self.kernel.copy(), self.bias.copy()]

    def set_weights(self, weights) -> None:
        """Copy ``[kernel (in, units), bias (units,)]`` into the layer (shapes must match exactly)."""
        self._require_built()
        set_arrays("weights", [self.kernel, self.bias], weights)

    def _require_built(self):
        if not self.built:
            raise ValueError(f"layer {self.name or 'dense'} has no weights yet: give it input_shape=(features,) "
                             f"or call it on data first")

    def __repr__(self) -> str:
        shape = "" if self.input_dim is None else f", input_shape=({self.input_dim},)"
        return f"Dense(units={self.units}{shape}, activation={self.activation.name!r})"


def _input_dim(input_shape) -> int:
    """The feature count from Keras's ``input_shape=(features,)``."""
    if not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"input_shape must be a tuple such as (1,), got {_validate.describe(input_shape)}")
    if len(input_shape) != 1:
        raise ValueError(f"input_shape must be (features,) for a Dense layer (rows are samples, so the "
                         f"sample count is left out), got {tuple(input_shape)!r}")
    return _validate.whole_number("input_shape[0]", input_shape[0], minimum=1)


def set_arrays(name: str, targets: list[np.ndarray], values) -> None:
    """Copy each of ``values`` into the matching array of ``targets``, checking count, shapes and finiteness."""
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{name} must be a list of arrays, got {_validate.describe(values)}")
    if len(values) != len(targets):
        raise ValueError(f"{name} must hold {len(targets)} arrays ([kernel, bias] per layer), got {len(values)}")
    checked = []
    for i, (target, value) in enumerate(zip(targets, values)):
        array = _validate.float_array(f"{name}[{i}]", value)
        if array.shape != target.shape:
            raise ValueError(f"{name}[{i}] must have shape {target.shape}, got {array.shape}")
        checked.append(array)
    for target, array in zip(targets, checked):    # copy only once every array passed
        target[...] = array
