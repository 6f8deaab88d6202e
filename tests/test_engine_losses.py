"""The training losses (Keras's meanings): values against the course's loss functions, gradients against
central differences, and the clip's effect on the gradient."""

import numpy as np
import pytest

from nnbook import losses
from nnbook.descent import numerical_gradient
from nnbook.encoding import one_hot


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def random_batch(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 7)), int(rng.integers(2, 5))
    y_pred = rng.uniform(0.05, 1.0, size=(n, k))       # positive scores, rows not summing to one
    labels = rng.integers(0, k, size=n)
    return rng, n, k, y_pred, labels


@pytest.mark.parametrize("seed", range(4))
def test_sparse_categorical_crossentropy_value_and_gradient(seed):
    _, _, _, y_pred, labels = random_batch(seed)
    loss = losses.SparseCategoricalCrossentropy()
    # the value: the mean of the course's per-sample cross-entropy
    assert loss(labels, y_pred) == pytest.approx(np.mean(losses.sparse_categorical_crossentropy(labels, y_pred)),
                                                 rel=1e-14)
    numeric = numerical_gradient(lambda p: loss.forward(labels, p), y_pred)
    loss.forward(labels, y_pred)
    assert relative_error(loss.backward(), numeric) < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_categorical_crossentropy_value_and_gradient(seed):
    rng, n, k, y_pred, labels = random_batch(seed)
    targets = rng.dirichlet(np.ones(k), size=n)          # soft targets exercise every column
    loss = losses.CategoricalCrossentropy()
    assert loss(targets, y_pred) == pytest.approx(np.mean(losses.categorical_crossentropy(targets, y_pred)),
                                                  rel=1e-14)
    numeric = numerical_gradient(lambda p: loss.forward(targets, p), y_pred)
    loss.forward(targets, y_pred)
    assert relative_error(loss.backward(), numeric) < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_sparse_and_categorical_agree_on_one_hot_targets(seed):
    _, _, k, y_pred, labels = random_batch(seed)
    sparse, dense = losses.SparseCategoricalCrossentropy(), losses.CategoricalCrossentropy()
    targets = one_hot(labels, k)
    assert sparse.forward(labels, y_pred) == pytest.approx(dense.forward(targets, y_pred), rel=1e-14)
    assert np.allclose(sparse.backward(), dense.backward(), rtol=1e-12, atol=0)


@pytest.mark.parametrize("seed", range(4))
def test_keras_mse_is_course_mse_over_k_and_its_gradient(seed):
    rng, n, k, y_pred, _ = random_batch(seed)
    y_true = rng.normal(size=(n, k))
    loss = losses.get("mse")
    assert loss(y_true, y_pred) == pytest.approx(losses.mse(y_true, y_pred) / k, rel=1e-14)
    numeric = numerical_gradient(lambda p: loss.forward(y_true, p), y_pred)
    loss.forward(y_true, y_pred)
    assert relative_error(loss.backward(), numeric) < 1e-6


def test_sigmoid_pair_is_divided_by_its_sum_then_logged():
    # two sigmoid outputs 0.6 and 0.9 for label 1: p = 0.9 / 1.5 = 0.6, loss = -log 0.6
    assert losses.SparseCategoricalCrossentropy()([1], [[0.6, 0.9]]) == pytest.approx(-np.log(0.6), rel=1e-14)


def test_clipped_probability_gives_the_clip_value_and_no_gradient():
    loss = losses.SparseCategoricalCrossentropy()
    y_pred = np.array([[1e-12, 1.0]])                    # the label's share is 1e-12, clipped up to 1e-7
    assert loss.forward(np.array([0]), y_pred) == pytest.approx(-np.log(losses.EPSILON), rel=1e-12)
    gradient = loss.backward()
    assert np.array_equal(gradient, np.zeros_like(y_pred))
    numeric = numerical_gradient(lambda p: loss.forward(np.array([0]), p), y_pred, h=1e-14)
    assert np.allclose(numeric, 0.0)


def test_get_knows_keras_names_and_rejects_others():
    assert isinstance(losses.get("sparse_categorical_crossentropy"), losses.SparseCategoricalCrossentropy)
    assert isinstance(losses.get("categorical_crossentropy"), losses.CategoricalCrossentropy)
    assert isinstance(losses.get("mean_squared_error"), losses.MeanSquaredError)
    with pytest.raises(ValueError, match=r"loss must be one of .*got 'crossentropy'"):
        losses.get("crossentropy")
    with pytest.raises(TypeError, match="loss must be a name"):
        losses.get(len)


def test_calling_a_loss_checks_its_input():
    with pytest.raises(ValueError, match=r"labels must be integers in \[0, num_classes\), got 2"):
        losses.SparseCategoricalCrossentropy()([2], [[0.5, 0.5]])
    with pytest.raises(ValueError, match="same number of samples"):
        losses.SparseCategoricalCrossentropy()([0, 1], [[0.5, 0.5]])
    with pytest.raises(ValueError, match="y_true and y_pred must have the same shape"):
        losses.MeanSquaredError()([[1.0, 0.0]], [[0.5, 0.5, 0.0]])
    with pytest.raises(ValueError, match="probabilities"):
        losses.CategoricalCrossentropy()([[1.0, 0.0]], [[-0.5, 0.5]])
    with pytest.raises(ValueError, match="finite"):
        losses.MeanSquaredError()([[1.0]], [[np.nan]])


@pytest.mark.parametrize("name", ["mse", "categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_backward_before_forward_says_what_to_do(name):
    with pytest.raises(RuntimeError, match="call forward"):
        losses.get(name).backward()
