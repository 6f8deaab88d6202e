"""Lessons 02, 03, 05-11: the course's data sets: two small ones made by code, and real handwritten digits.

``pets()``: eight labelled pictures (only their labels: the course never needs the pixels) with a network's
predicted probabilities, for lessons 02 and 03. The first sample is the worked example: a cat predicted as
(0.37, 0.50, 0.13).

``drug_trial()``: the drug-trial study used from lesson 05 on. 2100 people aged 13 to 100 tried a drug;
half were under 65 and half 65 or older. About 95% of the older people had side effects (label 1) and
about 95% of the younger had none (label 0)::

    1000 younger, no side effects (0)      50 younger with side effects (1)
    1000 older, with side effects (1)      50 older, no side effects (0)

Ages are whole years. The network sees them min-max scaled to [0, 1] over the study's age range::

    x = (age - AGE_MIN) / (AGE_MAX - AGE_MIN)

Shapes: rows are samples. ``x`` is (n, 1) (one feature, the scaled age), ``labels`` is (n,).

``digits()``: 1797 real handwritten digits, 8x8 pixels of 0..16 each, read from a small file shipped in
``nnbook/datasets/`` (its source and licence are in the README beside it). Images are (n, 8, 8), labels (n,).
"""

from __future__ import annotations

import pathlib
from typing import NamedTuple

import numpy as np

from nnbook import _validate

#: The classes of the pets data, in label order: Cat 0, Dog 1, Other 2.
PET_CLASSES = ("Cat", "Dog", "Other")

#: The youngest and oldest age in the drug-trial study, and the age from which a person counts as older.
AGE_MIN, AGE_MAX, AGE_OLDER = 13, 100, 65

#: The drug-trial outcome names, in label order.
TRIAL_CLASSES = ("no side effects", "side effects")


class Pets(NamedTuple):
    """Eight labelled samples with predicted probabilities (rows are samples)."""

    names: list[str]            #: (n,) the true class name of each picture
    labels: np.ndarray          #: (n,) integer labels, Cat 0, Dog 1, Other 2
    predictions: np.ndarray     #: (n, 3) a network's predicted probabilities; each row sums to 1


class DrugTrial(NamedTuple):
    """The drug-trial samples (rows are samples)."""

    ages: np.ndarray    #: (n,) ages in whole years, 13 to 100
    x: np.ndarray       #: (n, 1) ages min-max scaled to [0, 1], the network's input
    labels: np.ndarray  #: (n,) 1 = side effects, 0 = none


def pets() -> Pets:
    """The lessons' small labelled batch of pictures: eight samples, three classes.

    Row 0 is the worked example: a cat for which the network predicted (0.37, 0.50, 0.13), so it wrongly
    says "Dog".
    """
    names = ["Cat", "Dog", "Other", "Cat", "Dog", "Dog", "Other", "Cat"]
    predictions = np.array([
        [0.37, 0.50, 0.13],
        [0.10, 0.80, 0.10],
        [0.20, 0.15, 0.65],
        [0.75, 0.25, 0.00],
        [0.30, 0.60, 0.10],
        [0.55, 0.40, 0.05],
        [0.05, 0.05, 0.90],
        [0.90, 0.05, 0.05],
    ])
    labels = np.array([PET_CLASSES.index(name) for name in names], dtype=np.int64)
    return Pets(names, labels, predictions)


def scale_ages(ages) -> np.ndarray:
    """Min-max scale ages to [0, 1] over the study's range: ``(age - 13) / (100 - 13)``.

    Args:
        ages: a number or an array of ages in years.

    Returns:
        float array of the same shape (a 0-D array for a number).
    """
    ages = _validate.float_array("ages", ages)
    return (ages - AGE_MIN) / (AGE_MAX - AGE_MIN)


def drug_trial(seed: int = 0, *, typical: int = 1000, exceptions: int = 50, shuffle: bool = True) -> DrugTrial:
    """Generate the drug-trial study: ``2 * (typical + exceptions)`` people, 2100 by default.

    Younger people are 13 to 64, older people 65 to 100 (uniform whole years). ``typical`` people in each
    group follow the rule (younger: no side effects; older: side effects), ``exceptions`` in each group
    break it.

    Args:
        seed: seeds ``numpy.random.default_rng``; the same seed gives the same data, to the last digit.
        typical, exceptions: people per age group who follow / break the rule.
        shuffle: mix the rows (otherwise they come grouped: younger typical, older typical, then the
            exceptions).

    Returns:
        a :class:`DrugTrial` with ``ages`` (n,), ``x`` (n, 1) and ``labels`` (n,).
    """
    seed = _validate.whole_number("seed", seed)
    typical = _validate.whole_number("typical", typical)
    exceptions = _validate.whole_number("exceptions", exceptions)
    rng = np.random.default_rng(seed)

    def younger(count):
        return rng.integers(AGE_MIN, AGE_OLDER, size=count)        # 13..64

    def older(count):
        return rng.integers(AGE_OLDER, AGE_MAX + 1, size=count)    # 65..100

    ages = np.concatenate([younger(typical), older(typical), younger(exceptions), older(exceptions)])
    labels = np.concatenate([np.zeros(typical), np.ones(typical), np.ones(exceptions), np.zeros(exceptions)])
    labels = labels.astype(np.int64)
    if shuffle:
        order = rng.permutation(ages.size)
        ages, labels = ages[order], labels[order]
    ages = ages.astype(np.int64)
    return DrugTrial(ages, scale_ages(ages).reshape(-1, 1), labels)


#: The folder of the data files that ship with the library (``nnbook/datasets/``).
DATASETS = pathlib.Path(__file__).resolve().parent / "datasets"


class Digits(NamedTuple):
    """The 8x8 handwritten digits (rows are samples)."""

    images: np.ndarray  #: (n, 8, 8) uint8 pixel values, 0 (white) to 16 (full ink)
    labels: np.ndarray  #: (n,) the digit each image shows, 0 to 9


def digits() -> Digits:
    """Lesson 11's images: 1797 handwritten digits, 8x8 pixels each, with their labels.

    The UCI "Optical Recognition of Handwritten Digits" data set (E. Alpaydin and C. Kaynak, CC BY 4.0), in
    the copy scikit-learn bundles as ``load_digits``: each 32x32 black-and-white scan was cut into 4x4 blocks
    and the inked pixels of each block counted, so a pixel is a whole number from 0 to 16. Read from
    ``nnbook/datasets/digits.npz`` (shipped with the library; nothing is downloaded). Each call returns new
    arrays, so changing them changes nothing for the next caller.

    Returns:
        a :class:`Digits` with ``images`` (1797, 8, 8) uint8 in 0..16 and ``labels`` (1797,) int64 in 0..9.
    """
    with np.load(DATASETS / "digits.npz") as stored:
        return Digits(stored["images"].copy(), stored["labels"].astype(np.int64))
