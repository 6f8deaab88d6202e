"""Lessons 00, 02, 03, 09, 11: labelled data. Class names, integer labels and one-hot rows.

A network only sees numbers, so each class name gets an integer through a *class map*::

    class_names = ["Cat", "Dog", "Other"]     # position = integer label
    Cat -> 0,  Dog -> 1,  Other -> 2

and each integer label becomes a *one-hot* row: a vector of ``num_classes`` zeros with a single one at the
label's position::

    0 -> (1, 0, 0)      1 -> (0, 1, 0)      2 -> (0, 0, 1)

Going back, the class of a one-hot row, or of a row of predicted probabilities, is the position of its
largest entry: ``argmax``.

Shapes: rows are samples. ``labels`` is (n,), a one-hot matrix is (n, num_classes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnbook import _validate
from nnbook._validate import integer_labels  # noqa: F401  (checked like every input, public here for lesson 02)


def one_hot(labels, num_classes: int) -> np.ndarray:
    """One-hot encode integer labels.

    Row ``i`` of the result is all zeros except a one in column ``labels[i]``.

    Args:
        labels: (n,) whole numbers in ``[0, num_classes)``.
        num_classes: the number of classes, k. Give it explicitly: the largest label in a batch is not
            the number of classes (a batch may hold no sample of the last class).

    Returns:
        float64 array of shape (n, num_classes).

    >>> one_hot([0, 1, 2], 3)
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    num_classes = _validate.whole_number("num_classes", num_classes, minimum=1)
    labels = integer_labels(labels, num_classes)
    encoded = np.zeros((labels.size, num_classes))
    encoded[np.arange(labels.size), labels] = 1.0
    return encoded


def labels_from_one_hot(rows) -> np.ndarray:
    """The integer label of each row of a one-hot or probability matrix: the column of its largest entry.

    Args:
        rows: (n, k) one-hot rows or predicted probabilities (a single (k,) row is also accepted).

    Returns:
        int64 array of shape (n,), or a Python int for a single row.
    """
    array = _validate.float_array("rows", rows, ndim=(1, 2))
    if array.shape[-1] == 0:
        raise ValueError(f"rows must have at least one column, got shape {array.shape}")
    if array.ndim == 1:
        return int(np.argmax(array))
    return np.argmax(array, axis=1).astype(np.int64)


def class_map(class_names: Sequence[str]) -> dict[str, int]:
    """The class map: each class name to its integer label, in the order given.

    >>> class_map(["Cat", "Dog", "Other"])
    {'Cat': 0, 'Dog': 1, 'Other': 2}
    """
    names = _class_names(class_names)
    return {name: label for label, name in enumerate(names)}


def encode(names, class_names: Sequence[str]) -> np.ndarray:
    """Integer-encode class names through the class map of ``class_names``.

    Args:
        names: a sequence of n class names, each one of ``class_names``.
        class_names: the classes in label order, e.g. ``["Cat", "Dog", "Other"]``.

    Returns:
        int64 array of shape (n,).
    """
    mapping = class_map(class_names)
    if isinstance(names, str):
        raise TypeError(f"names must be a list of class names, got the single string {names!r}; "
                        f"wrap it in a list: [{names!r}]")
    encoded = []
    for name in names:
        if name not in mapping:
            raise ValueError(f"names must be among class_names {list(mapping)}, got {name!r}")
        encoded.append(mapping[name])
    return np.array(encoded, dtype=np.int64)


def decode(rows, class_names: Sequence[str]):
    """Class names back from integer labels, one-hot rows or probability rows.

    Args:
        rows: (n,) integer labels, (n, k) one-hot or probability rows, or a single (k,) row of
            probabilities given as floats. A 1-D array of integers is read as labels.
        class_names: the k classes in label order.

    Returns:
        a list of n names, or a single name for a single row.
    """
    names = _class_names(class_names)
    array = np.asarray(rows)
    if array.ndim == 1 and np.issubdtype(array.dtype, np.integer):
        labels = integer_labels(array, len(names))
        return [names[label] for label in labels]
    probabilities = _validate.float_array("rows", rows, ndim=(1, 2))
    if probabilities.shape[-1] != len(names):
        raise ValueError(f"rows must have one column per class ({len(names)} for {names}), "
                         f"got shape {probabilities.shape}")
    labels = labels_from_one_hot(probabilities)
    if probabilities.ndim == 1:
        return names[labels]
    return [names[label] for label in labels]


def _class_names(class_names) -> list[str]:
    if isinstance(class_names, str) or not isinstance(class_names, Sequence):
        raise TypeError(f"class_names must be a list of strings, got {_validate.describe(class_names)}")
    names = list(class_names)
    if not names or not all(isinstance(name, str) for name in names):
        raise TypeError(f"class_names must be a non-empty list of strings, got {names!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"class_names must be unique, got {names!r}")
    return names
