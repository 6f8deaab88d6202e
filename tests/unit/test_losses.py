"""nnbook.losses: the course's SSE, MSE and cross-entropy (lesson 03), then the training losses (Keras's
meanings): values against the course's loss functions, gradients against central differences, and the clip's
effect on the gradient."""

import math

import numpy as np
import pytest

from nnbook import activations, losses
from nnbook.data import pets
from nnbook.descent import numerical_gradient
from nnbook.encoding import one_hot


def test_seed_sse_is_0_6638_with_its_three_squared_terms():
    y_true, y_pred = [1, 0, 0], [0.37, 0.50, 0.13]
    terms = (np.array(y_true) - np.array(y_pred)) ** 2
    np.testing.assert_allclose(terms, [0.3969, 0.25, 0.0169], atol=1e-12)
    assert losses.sse(y_true, y_pred) == pytest.approx(0.6638, abs=1e-12)
    assert isinstance(losses.sse(y_true, y_pred), float)


def test_sse_of_a_batch_gives_one_value_per_sample():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.random((5, 4)), rng.random((5, 4))
    per_sample = losses.sse(y_true, y_pred)
    assert per_sample.shape == (5,)
    for i in range(5):
        assert per_sample[i] == pytest.approx(sum((y_true[i, j] - y_pred[i, j]) ** 2 for j in range(4)))


def test_mse_is_the_mean_over_samples_of_each_sse():
    batch = pets()
    y_true = one_hot(batch.labels, 3)
    expected = sum(losses.sse(t, p) for t, p in zip(y_true, batch.predictions)) / len(batch.labels)
    assert losses.mse(y_true, batch.predictions) == pytest.approx(expected, rel=1e-12)


def test_mse_of_a_batch_of_one_is_that_sample_sse():
    assert losses.mse([[1, 0, 0]], [[0.37, 0.50, 0.13]]) == pytest.approx(0.6638, abs=1e-12)


def test_perfect_prediction_costs_nothing():
    assert losses.sse([0, 1, 0], [0, 1, 0]) == 0.0
    assert losses.categorical_crossentropy([0, 1, 0], [0, 1, 0]) == pytest.approx(-math.log(1 - losses.EPSILON))


def test_categorical_crossentropy_is_minus_log_of_the_true_class_probability():
    assert losses.categorical_crossentropy([1, 0, 0], [0.37, 0.50, 0.13]) == pytest.approx(-math.log(0.37))


def test_sparse_and_categorical_crossentropy_agree():
    rng = np.random.default_rng(1)
    probabilities = rng.dirichlet(np.ones(4), size=6)
    labels = rng.integers(0, 4, size=6)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(labels, probabilities),
                               losses.categorical_crossentropy(one_hot(labels, 4), probabilities), rtol=1e-12)


def test_crossentropy_divides_unnormalised_scores_by_their_sum():
    # Two sigmoid outputs need not sum to one: they are normalised first, as Keras on JAX/PyTorch does.
    value = losses.sparse_categorical_crossentropy([1], [[0.2, 0.6]])
    assert value[0] == pytest.approx(-math.log(0.6 / 0.8))


def test_crossentropy_clips_so_a_confident_wrong_answer_stays_finite():
    value = losses.sparse_categorical_crossentropy([0], [[0.0, 1.0]])
    assert value[0] == pytest.approx(-math.log(losses.EPSILON))


def test_crossentropy_from_logits_is_stable_for_huge_scores():
    logits = np.array([[1000.0, 0.0, -1000.0]])
    value = losses.sparse_categorical_crossentropy([1], logits, from_logits=True)
    assert value[0] == pytest.approx(1000.0)
    small = np.array([[2.0, 1.0, 0.1]])
    softmax = np.exp(small) / np.exp(small).sum()
    assert losses.sparse_categorical_crossentropy([2], small, from_logits=True)[0] == pytest.approx(
        -math.log(softmax[0, 2]))


@pytest.mark.parametrize("call, error, match", [
    (lambda: losses.sse([1, 0, 0], [0.5, 0.5]), ValueError,
     r"y_true and y_pred must have the same shape, got y_true \(3,\) and y_pred \(2,\)"),
    (lambda: losses.sse([1, 0, 0], [[0.37, 0.5, 0.13]]), ValueError, r"same shape"),
    (lambda: losses.sse([1, 0, np.nan], [0.3, 0.3, 0.4]), ValueError, r"y_true must be finite"),
    (lambda: losses.sse("100", [1, 0, 0]), TypeError, r"y_true must be numbers"),
    (lambda: losses.mse([1, 0, 0], [0.37, 0.5, 0.13]), ValueError, r"y_true must be 2-D, got shape \(3,\)"),
    (lambda: losses.mse(np.zeros((0, 3)), np.zeros((0, 3))), ValueError, r"at least one sample"),
    (lambda: losses.sparse_categorical_crossentropy([3], [[0.2, 0.3, 0.5]]), ValueError,
     r"got 3 with num_classes=3"),
    (lambda: losses.sparse_categorical_crossentropy([0, 1], [[0.2, 0.8]]), ValueError,
     r"same number of samples, got 2 labels"),
    (lambda: losses.categorical_crossentropy([1, 0], [-0.5, 1.5]), ValueError, r"from_logits=True"),
    (lambda: losses.categorical_crossentropy([1, 0], [0.0, 0.0]), ValueError, r"all zeros"),
])
def test_losses_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ----- the training losses (Keras's meanings) --------------------------------------------------------
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


# ----- each loss written once: the classes wrap the functions --------------------------------------------------
def test_kerass_mse_is_the_courses_mse_divided_by_the_number_of_outputs():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.random((7, 3)), rng.random((7, 3))
    assert losses.MeanSquaredError()(y_true, y_pred) == pytest.approx(losses.mse(y_true, y_pred) / 3, rel=1e-15)
    assert losses.MeanSquaredError()(y_true, y_pred) == pytest.approx(np.mean((y_true - y_pred) ** 2), rel=1e-14)


# ----- lesson 05's formulas for rows that sum to one, Keras's division for rows that do not -------------------
def test_for_probabilities_the_backward_is_lesson_05s_formula():
    rng = np.random.default_rng(3)
    p = activations.softmax(rng.normal(size=(5, 4)))
    labels = rng.integers(0, 4, 5)
    loss = losses.SparseCategoricalCrossentropy()
    assert loss.forward(labels, p) == np.mean(-np.log(p[np.arange(5), labels]))      # L = mean of -log a[y]
    expected = np.zeros((5, 4))
    expected[np.arange(5), labels] = -1 / (5 * p[np.arange(5), labels])               # -1/(n a[y]), 0 elsewhere
    np.testing.assert_array_equal(loss.backward(), expected)
    dense = losses.CategoricalCrossentropy()
    dense.forward(np.eye(4)[labels], p)
    np.testing.assert_array_equal(dense.backward(), expected)


@pytest.mark.parametrize("scale", [1.0, 40.0])
def test_through_the_softmax_the_gradient_matches_finite_differences_in_the_scores(scale):
    # the loss of the scores z, L(softmax(z)): loss.backward() then the softmax's backward (its Jacobian)
    rng = np.random.default_rng(2)
    z = rng.normal(size=(10, 3)) * scale                   # at 40, some probabilities fall under the clip
    labels = rng.integers(0, 3, 10)
    for loss, y in ((losses.SparseCategoricalCrossentropy(), labels),
                    (losses.CategoricalCrossentropy(), np.eye(3)[labels]),
                    (losses.CategoricalCrossentropy(), rng.dirichlet(np.ones(3), size=10))):
        p = activations.softmax(z)
        loss.forward(y, p)
        delta = activations.softmax.backward(p, loss.backward())
        numeric = numerical_gradient(lambda scores: loss.forward(y, activations.softmax(scores)), z, h=1e-6)
        np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)
        if y.ndim == 1 and scale == 1.0:                   # lesson 05's shortcut falls out: (p - one_hot) / n
            np.testing.assert_allclose(delta, (p - np.eye(3)[labels]) / 10, rtol=1e-12, atol=1e-16)


def test_only_rows_that_do_not_sum_to_one_are_divided():
    y_pred = np.array([[0.25, 0.75], [0.5, 0.5]])
    loss = losses.SparseCategoricalCrossentropy()
    loss.forward(np.array([1, 0]), y_pred)
    assert loss.totals is None and loss.p is y_pred
    loss.forward(np.array([1, 0]), y_pred * 0.5)            # sums of 0.5: divided, the same probabilities
    np.testing.assert_allclose(loss.p, y_pred, rtol=1e-15)
    np.testing.assert_array_equal(loss.totals, [[0.5], [0.5]])
