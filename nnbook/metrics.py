"""Lessons 06-08: accuracy, and the running means an epoch reports.

Keras's ``"accuracy"`` counts a sample as right when::

    argmax(y_pred) == label               integer labels (n,)
    argmax(y_pred) == argmax(y)           target rows (n, k)
    (y_pred > 0.5) == (y == 1)            a single output unit

An epoch's loss and accuracy are means over its batches, each weighted by its size: with batches of 10,
10 and 5 samples, the loss is ``(10 L1 + 10 L2 + 5 L3) / 25``.
"""

from __future__ import annotations

import numpy as np


def count_correct(y_true: np.ndarray, y_pred: np.ndarray, sparse: bool) -> int:
    """How many samples of the batch ``y_pred`` (n, k) gets right, by Keras's rule for ``"accuracy"``.

    ``y_true`` is (n,) integer labels when ``sparse``, else (n, k) target rows.
    """
    if y_pred.shape[1] == 1:
        return int(np.count_nonzero((y_pred[:, 0] > 0.5) == (y_true.reshape(-1) == 1)))
    if sparse:
        return int(np.count_nonzero(y_pred.argmax(axis=1) == y_true))
    return int(np.count_nonzero(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))


class RunningMeans:
    """The loss and accuracy so far in an epoch: means over the batches, each weighted by its size."""

    def __init__(self, metrics):
        self.metrics = list(metrics)   # [] or ["accuracy"] (Keras also accepts "acc")
        self.loss_sum = 0.0            # sum over batches of batch loss * batch size
        self.correct = 0               # right answers so far
        self.seen = 0                  # samples so far

    def add(self, loss: float, correct: int, batch_size: int) -> None:
        self.loss_sum += loss * batch_size
        self.correct += correct
        self.seen += batch_size

    def result(self) -> dict:
        """``{"loss": ..., "accuracy": ...}`` (accuracy only when asked for)."""
        logs = {"loss": self.loss_sum / self.seen}
        for metric in self.metrics:
            logs[metric] = self.correct / self.seen
        return logs
