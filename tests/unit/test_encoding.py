"""nnbook.encoding: class map, integer labels, one-hot rows and back (lesson 02)."""

import numpy as np
import pytest

from nnbook import encoding
from nnbook.data import PET_CLASSES


def test_seed_class_map_is_cat_0_dog_1_other_2():
    assert encoding.class_map(PET_CLASSES) == {"Cat": 0, "Dog": 1, "Other": 2}


def test_seed_one_hot_rows():
    table = encoding.one_hot(encoding.encode(["Cat", "Dog", "Other"], PET_CLASSES), 3)
    np.testing.assert_array_equal(table, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert table.dtype == np.float64


def test_one_hot_matches_identity_rows_on_random_labels():
    rng = np.random.default_rng(7)
    for _ in range(20):
        k = int(rng.integers(1, 9))
        labels = rng.integers(0, k, size=int(rng.integers(0, 30)))
        encoded = encoding.one_hot(labels, k)
        assert encoded.shape == (labels.size, k)
        np.testing.assert_array_equal(encoded, np.eye(k)[labels])


def test_one_hot_keeps_columns_for_classes_missing_from_the_batch():
    assert encoding.one_hot([0, 0], 4).shape == (2, 4)


def test_one_hot_accepts_whole_floats_and_does_not_change_its_input():
    labels = np.array([2.0, 0.0])
    np.testing.assert_array_equal(encoding.one_hot(labels, 3), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(labels, [2.0, 0.0])


@pytest.mark.parametrize("labels, num_classes, error, match", [
    ([0, 3], 3, ValueError, r"labels must be integers in \[0, num_classes\), got 3 with num_classes=3"),
    ([-1, 0], 3, ValueError, r"labels must be integers >= 0, got -1"),
    ([0, 2 ** 63], 3, ValueError, r"labels must be class numbers 0, 1, 2, \.\.\., got 9\.2233\d*e\+18, too large"),
    (np.array([0, 2 ** 64 - 1], dtype=np.uint64), 3, ValueError, r"got 18446744073709551615, too large"),
    ([0.5], 3, ValueError, r"labels must be whole numbers, got 0.5"),
    ([[0, 1]], 3, ValueError, r"labels must be 1-D .* got shape \(1, 2\)"),
    (2, 3, ValueError, r"labels must be 1-D .*single value 2"),
    (["Cat"], 3, TypeError, r"labels must be integers, got dtype <U3"),
    ("Cat", 3, TypeError, r"labels must be a list or array of integers"),
    ([True], 3, TypeError, r"labels must be integers, got dtype bool"),
    ([np.nan], 3, ValueError, r"labels must be finite"),
    ([0], 0, ValueError, r"num_classes must be at least 1, got 0"),
    ([0], 2.0, TypeError, r"num_classes must be a whole number \(int\), got 2.0"),
])
def test_one_hot_rejects_bad_input_with_a_clear_message(labels, num_classes, error, match):
    with pytest.raises(error, match=match):
        encoding.one_hot(labels, num_classes)


def test_argmax_goes_back_from_one_hot_and_probabilities():
    assert encoding.labels_from_one_hot([0, 1, 0]) == 1
    np.testing.assert_array_equal(
        encoding.labels_from_one_hot([[0.37, 0.50, 0.13], [0.9, 0.05, 0.05]]), [1, 0])


def test_decode_names_from_labels_one_hot_and_probabilities():
    assert encoding.decode(np.array([2, 0]), PET_CLASSES) == ["Other", "Cat"]
    assert encoding.decode(encoding.one_hot([1, 2], 3), PET_CLASSES) == ["Dog", "Other"]
    assert encoding.decode([0.37, 0.50, 0.13], PET_CLASSES) == "Dog"


def test_encode_then_decode_round_trips():
    names = ["Dog", "Cat", "Other", "Cat"]
    assert encoding.decode(encoding.one_hot(encoding.encode(names, PET_CLASSES), 3), PET_CLASSES) == names


@pytest.mark.parametrize("call, error, match", [
    (lambda: encoding.encode(["Horse"], PET_CLASSES), ValueError, r"names must be among class_names .*'Horse'"),
    (lambda: encoding.encode("Cat", PET_CLASSES), TypeError, r"wrap it in a list"),
    (lambda: encoding.class_map(["Cat", "Cat"]), ValueError, r"class_names must be unique"),
    (lambda: encoding.class_map("Cat"), TypeError, r"class_names must be a list of strings"),
    (lambda: encoding.decode([[0.5, 0.5]], PET_CLASSES), ValueError, r"one column per class \(3 for"),
    (lambda: encoding.decode(np.array([3]), PET_CLASSES), ValueError, r"got 3 with num_classes=3"),
    (lambda: encoding.labels_from_one_hot([[np.inf, 0]]), ValueError, r"rows must be finite"),
])
def test_encode_and_decode_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
