"""nnbook.losses: SSE, MSE and cross-entropy (lesson 03)."""

import math

import numpy as np
import pytest

from nnbook import losses
from nnbook.data import pets
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
