"""Dense: forward is the formula, backward agrees with central differences, weights are glorot-uniform."""

import math

import numpy as np
import pytest

from nnbook import activations
from nnbook.descent import numerical_gradient
from nnbook.layers import Dense

NAMES = ["linear", "relu", "sigmoid", "tanh", "softmax"]


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def built_layer(seed, activation):
    rng = np.random.default_rng(seed)
    n, n_in, n_out = (int(v) for v in rng.integers(1, 6, size=3))
    layer = Dense(n_out, input_shape=(n_in,), activation=activation)
    layer.build(n_in, rng)
    layer.bias[...] = rng.normal(size=n_out)          # non-zero bias, so its gradient path is exercised
    return rng, layer, rng.normal(size=(n, n_in))


@pytest.mark.parametrize("activation", NAMES)
@pytest.mark.parametrize("seed", range(3))
def test_backward_matches_central_differences(activation, seed):
    rng, layer, x = built_layer(seed, activation)
    upstream = rng.normal(size=(x.shape[0], layer.units))   # dL/da for L = sum(a * upstream)

    def loss_of(kernel=None, bias=None, inputs=None):
        old = layer.get_weights()
        layer.set_weights([old[0] if kernel is None else kernel, old[1] if bias is None else bias])
        value = np.sum(layer.forward(x if inputs is None else inputs) * upstream)
        layer.set_weights(old)
        return value

    layer.forward(x)
    grad_x = layer.backward(upstream)
    kernel, bias = layer.get_weights()

    assert grad_x.shape == x.shape
    assert layer.grad_kernel.shape == kernel.shape and layer.grad_bias.shape == bias.shape
    assert relative_error(layer.grad_kernel, numerical_gradient(lambda k: loss_of(kernel=k), kernel)) < 1e-6
    assert relative_error(layer.grad_bias, numerical_gradient(lambda b: loss_of(bias=b), bias)) < 1e-6
    assert relative_error(grad_x, numerical_gradient(lambda xx: loss_of(inputs=xx), x)) < 1e-6


def test_forward_is_the_formula_and_caches_its_input():
    layer = Dense(3, input_shape=(2,), activation="relu")
    layer.build(2, np.random.default_rng(0))
    x = np.array([[1.0, -2.0], [0.5, 0.25]])
    expected = np.maximum(x @ layer.kernel + layer.bias, 0)
    assert np.array_equal(layer(x), expected)
    assert layer.x is not None and np.array_equal(layer.x, x)


def test_glorot_uniform_kernel_and_zero_bias():
    layer = Dense(32, input_shape=(16,))
    layer.build(16, np.random.default_rng(1))
    limit = math.sqrt(6 / (16 + 32))
    assert layer.kernel.shape == (16, 32) and layer.bias.shape == (32,)
    assert np.all(np.abs(layer.kernel) <= limit)
    assert np.abs(layer.kernel).max() > 0.9 * limit       # spread over the whole interval, not a tiny one
    assert np.std(layer.kernel) == pytest.approx(limit / math.sqrt(3), rel=0.15)
    assert np.array_equal(layer.bias, np.zeros(32))


def test_the_layer_owns_its_arrays_and_backward_is_lesson_05s_formula():
    layer = Dense(3, input_shape=(2,), activation="relu")
    layer.build(2, np.random.default_rng(0))
    kernel = layer.kernel
    layer.build(2, np.random.default_rng(1))                 # built already: keeps its weights
    assert layer.kernel is kernel and layer.bias.shape == (3,) and layer.kernel.flags.owndata
    x, grad_a = np.array([[1.0, -2.0], [0.5, 0.25]]), np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]])
    a = layer.forward(x)
    grad_x = layer.backward(grad_a)
    delta = grad_a * (a > 0)                                   # relu's backward
    np.testing.assert_array_equal(layer.grad_kernel, x.T @ delta)
    np.testing.assert_array_equal(layer.grad_bias, delta.sum(axis=0))
    np.testing.assert_array_equal(grad_x, delta @ layer.kernel.T)
    layer.kernel -= 0.1 * layer.grad_kernel                    # lesson 06's update, on the layer's own array
    assert layer.kernel is kernel


def test_count_params():
    assert Dense(16, input_shape=(1,)).count_params() == 32
    assert Dense(32).count_params(16) == 544
    assert Dense(2).count_params(32) == 66


def test_building_an_unbuilt_layer_on_first_call():
    layer = Dense(4, activation="tanh")
    out = layer(np.ones((3, 5)))
    assert out.shape == (3, 4) and layer.kernel.shape == (5, 4)


def test_wrong_input_width_is_a_clear_value_error():
    layer = Dense(4, input_shape=(2,))
    with pytest.raises(ValueError, match=r"x must have 2 feature column\(s\).*got x of shape \(3, 5\)"):
        layer(np.ones((3, 5)))


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="units must be at least 1"):
        Dense(0)
    with pytest.raises(TypeError, match="units must be a whole number"):
        Dense(2.5)
    with pytest.raises(ValueError, match="activation must be one of"):
        Dense(2, activation="relu6")
    with pytest.raises(TypeError, match="input_shape must be a tuple"):
        Dense(2, input_shape=1)
    with pytest.raises(ValueError, match=r"input_shape must be \(features,\)"):
        Dense(2, input_shape=(10, 1))


def test_set_weights_checks_shapes():
    layer = Dense(3, input_shape=(2,))
    layer.build(2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\), got \(3, 2\)"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])
    with pytest.raises(ValueError, match="must hold 2 arrays"):
        layer.set_weights([np.zeros((2, 3))])


def test_backward_before_forward_says_what_to_do():
    layer = Dense(3, input_shape=(2,))
    layer.build(2, np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="call forward"):
        layer.backward(np.ones((1, 3)))


def test_activation_objects_are_accepted():
    assert Dense(2, activation=activations.softmax).activation is activations.softmax
