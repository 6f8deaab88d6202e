"""Each activation's forward against its formula, and its backward against central differences."""

import warnings

import numpy as np
import pytest

from nnbook import activations
from nnbook.descent import numerical_gradient

NAMES = ["linear", "relu", "sigmoid", "tanh", "softmax"]


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def away_from_zero(rng, shape):
    """Random scores at least 0.1 from 0, so relu's kink never sits inside a finite-difference step."""
    return rng.choice([-1.0, 1.0], size=shape) * (0.1 + np.abs(rng.normal(size=shape)))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(3))
def test_backward_matches_central_differences(name, seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    act = activations.get(name)
    z = away_from_zero(rng, shape)
    upstream = rng.normal(size=shape)                  # dL/da for L = sum(a * upstream)

    analytic = act.backward(act.forward(z), upstream)
    numeric = numerical_gradient(lambda zz: np.sum(act.forward(zz) * upstream), z)

    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-6


def test_forward_formulas():
    z = np.array([[-2.0, 0.0, 3.0]])
    assert np.array_equal(activations.relu(z), [[0.0, 0.0, 3.0]])
    assert np.allclose(activations.sigmoid(z), 1 / (1 + np.exp([[2.0, 0.0, -3.0]])))
    assert np.allclose(activations.tanh(z), np.tanh(z))
    assert np.array_equal(activations.linear(z), z)
    e = np.exp([-2.0, 0.0, 3.0])
    assert np.allclose(activations.softmax(z), e / e.sum())


def test_softmax_rows_sum_to_one_and_survive_large_scores():
    a = activations.softmax(np.array([[1000.0, 1001.0], [-1000.0, 0.0]]))
    assert np.all(np.isfinite(a))
    assert np.allclose(a.sum(axis=1), 1.0)
    assert a[0, 1] > a[0, 0]


def test_sigmoid_of_extreme_scores_is_0_or_1_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")               # a warning would print into a lesson's output
        assert activations.sigmoid(np.array([[-1000.0, 1000.0]])).tolist() == [[0.0, 1.0]]


def test_one_sample_vector_is_accepted():
    assert np.allclose(activations.softmax([1.0, 1.0]), [0.5, 0.5])


def test_get_by_name_instance_and_none():
    assert activations.get("relu") is activations.relu
    assert activations.get(activations.tanh) is activations.tanh
    assert activations.get(None) is activations.linear


def test_unknown_activation_name_is_a_clear_value_error():
    with pytest.raises(ValueError, match=r"activation must be one of .*got 'relux'"):
        activations.get("relux")


def test_activation_of_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="activation must be"):
        activations.get(3)


def test_nan_input_is_rejected():
    with pytest.raises(ValueError, match="z must be finite"):
        activations.relu([[np.nan, 1.0]])
