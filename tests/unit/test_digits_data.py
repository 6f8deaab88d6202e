"""nnbook.data.digits(): the shipped copy of the 8x8 handwritten digits equals scikit-learn's ``load_digits``.

The file ``nnbook/datasets/digits.npz`` was written by this module's :func:`write`; regenerate it with::

    .venv/bin/python tests/unit/test_digits_data.py --write

(scikit-learn is in the ``test`` extra; the course itself never needs it.)
"""

import pathlib
import sys

import numpy as np
import pytest

from nnbook import data

FILE = pathlib.Path(data.__file__).resolve().parent / "datasets" / "digits.npz"


def write(path=FILE):
    """Write scikit-learn's copy of the digits as uint8 pixels (0..16) and uint8 labels, compressed."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = bunch.images.astype(np.uint8)
    assert np.array_equal(images, bunch.images), "the pixels are whole numbers 0..16"
    np.savez_compressed(path, images=images, labels=bunch.target.astype(np.uint8))
    return path


def test_the_shipped_file_equals_scikit_learns_digits():
    datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn (the test extra) is not installed")
    bunch = datasets.load_digits()
    images, labels = data.digits()
    np.testing.assert_array_equal(images, bunch.images)
    np.testing.assert_array_equal(labels, bunch.target)
    np.testing.assert_array_equal(images.reshape(len(images), -1), bunch.data)


def test_digits_shapes_types_and_ranges():
    images, labels = data.digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype == np.uint8 and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert sorted(set(labels.tolist())) == list(range(10))
    assert np.bincount(labels).min() >= 170                 # about 180 of each digit


def test_each_call_gives_fresh_arrays():
    images, labels = data.digits()
    images[0] = 99
    labels[0] = 7
    again, again_labels = data.digits()
    assert again[0].max() <= 16 and again_labels[0] == 0


def test_the_file_is_small_and_documented():
    assert FILE.stat().st_size < 60_000
    readme = (FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "Alpaydin" in readme and "Kaynak" in readme


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    print(f"wrote {write()}")
