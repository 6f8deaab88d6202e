"""nnbook.metrics: Keras's accuracy rule and the epoch's running means weighted by batch size."""

import numpy as np
import pytest

from nnbook.metrics import RunningMeans, count_correct


def test_count_correct_with_integer_labels_compares_the_argmax():
    rng = np.random.default_rng(0)
    y_pred = rng.random((50, 3))
    labels = rng.integers(0, 3, 50)
    assert count_correct(labels, y_pred, sparse=True) == sum(int(np.argmax(row) == label)
                                                           for row, label in zip(y_pred, labels))


def test_count_correct_with_target_rows_compares_both_argmaxes():
    rng = np.random.default_rng(1)
    y_pred, targets = rng.random((40, 4)), rng.random((40, 4))
    assert count_correct(targets, y_pred, sparse=False) == sum(
        int(np.argmax(p) == np.argmax(t)) for p, t in zip(y_pred, targets))


def test_count_correct_with_one_output_unit_thresholds_at_one_half():
    y_pred = np.array([[0.2], [0.7], [0.5], [0.9]])
    y_true = np.array([[0.0], [1.0], [1.0], [0.0]])
    # 0.2 -> 0 right; 0.7 -> 1 right; 0.5 is not above 0.5 -> 0, wrong; 0.9 -> 1, wrong
    assert count_correct(y_true, y_pred, sparse=False) == 2


def test_running_means_weight_each_batch_by_its_size():
    means = RunningMeans(["accuracy"])
    batches = [(0.9, 4, 10), (0.5, 8, 10), (0.2, 5, 5)]
    for loss, correct, size in batches:
        means.add(loss, correct, size)
    assert means.result() == {"loss": pytest.approx((9 + 5 + 1) / 25), "accuracy": pytest.approx(17 / 25)}


def test_running_means_without_metrics_report_only_the_loss():
    means = RunningMeans([])
    means.add(0.3, 0, 2)
    assert means.result() == {"loss": pytest.approx(0.3)}
