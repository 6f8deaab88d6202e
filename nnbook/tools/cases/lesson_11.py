"""Lesson 11's checks: flatten_images and confusion_matrix.

Each check's docstring says what the learner writes; the reference answers are one or two numpy lines each.

Which case rejects each named mistake, on every run (the values are random, the structure is fixed). Every
hidden case is drawn again until each named mistake's answer differs from the right answer and from every
other named mistake's answer, so each mistake gets its own hint on every run:

- ``flatten_images``: hidden case 1's pixels stop below 16 (at 9 to 15), so dividing by the batch's largest
  pixel or by each image's largest pixel differs from dividing by 16; hidden case 2 holds a 16 but also an
  image whose largest pixel is below 16, so dividing by each image's own maximum shows there too. Random
  pictures are not symmetric, so the column-major (transposed) flattening shows; their pixels are not all 0
  or 16, so integer division shows.
- ``confusion_matrix``: hidden case 1 has ten classes with the last class and one middle class absent from
  both labels and predictions, so a matrix sized by the largest class seen, or made of the classes present
  only, has the wrong shape; hidden case 2 has 3 to 6 classes, so ignoring ``num_classes`` shows, and its
  last class is absent too. Both hold repeated (true, predicted) pairs, so ``matrix[labels, predicted] += 1``
  (which counts a repeated pair once) shows, and are not symmetric, so the transposed matrix shows.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnbook.data import digits
from nnbook.tools.cases.common import fresh_rng, same_numbers
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"flatten_images": 1, "confusion_matrix": 1}

#: The digits' largest pixel value: a pixel counts the inked dots of a 4x4 block of the scan.
PIXEL_MAX = 16


def _distinct(case: Case) -> bool:
    """Every named mistake's answer differs from the right answer and from every other named answer with
    another hint (a mistake that cannot show on this case is ``None``)."""
    answers = [(case.expected, None)] + [(wrong, hint) for wrong, hint in case.mistakes if wrong is not None]
    return all(compare_numbers(answers[i][0], answers[j][0]) is not None
               for i in range(len(answers)) for j in range(i + 1, len(answers))
               if answers[i][1] != answers[j][1])


# ============================================================================================ flatten_images
def _flatten_case(name, images) -> Case:
    args = (images,)
    n = len(images)
    pixels = images.astype(np.float64)
    rows = pixels.reshape(n, -1)
    expected = rows / PIXEL_MAX
    per_image_max = pixels.max(axis=(1, 2)).reshape(n, 1)
    return Case(name, call_text("flatten_images", ["images"], args), args, expected, [
        (rows, "the pixels were not scaled: divide by 16, the largest value a digit's pixel can take, so "
               "every input lies between 0 and 1."),
        (rows / 255, "that divides by 255, the largest pixel of an 8-bit photograph: a digit's pixel goes "
                     "from 0 to 16, so divide by 16."),
        (None if pixels.max() == PIXEL_MAX else rows / pixels.max(),
         "that divides by the largest pixel of this batch: divide by 16, the largest value a pixel can take, "
         "so the same picture gives the same inputs in any batch."),
        (np.divide(rows, per_image_max, out=np.zeros_like(rows), where=per_image_max > 0),
         "that divides each image by its own largest pixel: divide every image by the same 16, the largest "
         "value a pixel can take."),
        (pixels.transpose(0, 2, 1).reshape(n, -1) / PIXEL_MAX,
         "the pixels were read column after column (the image transposed): flatten row after row, as "
         "reshape does, so inputs 0 to 7 are the picture's top row."),
        (pixels / PIXEL_MAX, "the images were scaled but kept as (n, 8, 8): flatten each one to a row of 64 "
                             "numbers, giving shape (n, 64), one row per image."),
        (pixels.reshape(-1) / PIXEL_MAX, "all the images became one long row: flatten each image on its own, "
                                         "giving shape (n, 64), one row per image."),
        (np.floor_divide(rows, PIXEL_MAX), "that is whole-number division (// or int(...)), which turns "
                                           "every pixel below 16 into 0: use /, true division."),
    ])


def _flatten_worked_example() -> Case:
    """The lesson's first ten pictures, pixels 0 to 16 (uint8, as ``digits()`` gives them)."""
    return _flatten_case("the worked example", digits().images[:10])


def _random_images(rng, top: int, n: int) -> np.ndarray:
    """n random 8x8 uint8 pictures with pixels 0..top, ``top`` in one of them, and one image below ``top``."""
    images = rng.integers(0, top + 1, size=(n, 8, 8)).astype(np.uint8)
    images[0, int(rng.integers(8)), int(rng.integers(8))] = top
    images[-1] = np.minimum(images[-1], top - int(rng.integers(1, 4)))
    return images


def _flatten_hidden(rng, name, below_sixteen: bool) -> Case:
    while True:
        top = int(rng.integers(9, PIXEL_MAX)) if below_sixteen else PIXEL_MAX
        case = _flatten_case(name, _random_images(rng, top, int(rng.integers(3, 7))))
        if _distinct(case):
            return case


def flatten_images(student_flatten_images) -> CheckResult:
    """Check ``flatten_images(images)`` -> ``x``: images (n, 8, 8) with pixels 0 to 16 become float inputs
    (n, 64), each image flattened row after row and divided by 16, ``images.reshape(n, 64) / 16``."""
    rng = fresh_rng()
    cases = [_flatten_worked_example(),
             _flatten_hidden(rng, "hidden case 1", below_sixteen=True),
             _flatten_hidden(rng, "hidden case 2", below_sixteen=False)]
    return run_check("flatten_images", student_flatten_images, cases,
                     advice="Flatten each image row after row to 64 numbers, images.reshape(n, 64) (n images), "
                            "then divide by 16, the largest value a pixel can take.")


# ========================================================================================== confusion_matrix
def _counts(labels, predicted, k) -> np.ndarray:
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


_MISSING = ("the matrix is sized by the classes found in the data: a class no sample has still gets its row "
            "and column, so the matrix is num_classes x num_classes.")


def _confusion_case(name, labels, predicted, num_classes) -> Case:
    args = (labels, predicted, num_classes)
    k = num_classes
    expected = _counts(labels, predicted, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        by_row = expected / expected.sum(axis=1, keepdims=True)
    seen = int(max(labels.max(), predicted.max())) + 1
    present = np.unique(np.concatenate([labels, predicted]))
    once = np.zeros((k, k), dtype=np.int64)
    once[labels, predicted] += 1                      # fancy-index += counts each repeated pair once
    padded_end = np.zeros((k + 1, k + 1), dtype=np.int64)
    padded_end[:k, :k] = expected
    padded_start = np.zeros((k + 1, k + 1), dtype=np.int64)
    padded_start[1:, 1:] = expected
    mistakes = [
        (expected.T, "rows and columns are swapped: row t is the TRUE class and column p the predicted one, "
                     "matrix[true, predicted]."),
        (expected / expected.sum(), "those are fractions of all the samples: return the counts, whole numbers."),
        (by_row, "each row was divided by its total: return the counts, whole numbers."),
        (once, "a (true, predicted) pair that occurs several times was counted once: matrix[labels, predicted] "
               "+= 1 adds 1 once per distinct pair. Loop over the samples, or use np.add.at."),
        (padded_end, "the matrix has one class too many: classes are 0 to num_classes - 1, so it is "
                     "num_classes x num_classes."),
        (padded_start, "the classes are off by one: class 0 is row 0 and column 0."),
        (np.roll(expected, -1, axis=(0, 1)), "the classes are off by one: class c is row c and column c, "
                                             "not c - 1."),
        (np.roll(expected, 1, axis=(0, 1)), "the classes are off by one: class c is row c and column c, "
                                            "not c + 1."),
        (expected[:seen, :seen], _MISSING),
        (expected[np.ix_(present, present)], _MISSING),
    ]
    if k != 10:
        mistakes.append((_counts(labels, predicted, 10), "num_classes was ignored: the matrix is num_classes x "
                                                         "num_classes, here not 10 x 10."))
    return Case(name, call_text("confusion_matrix", ["labels", "predicted", "num_classes"], args), args,
                expected, mistakes)


@lru_cache(maxsize=1)
def _lessons_predictions() -> tuple[np.ndarray, np.ndarray]:
    """Lesson 11's held-out labels and the digits its network predicts for them (trained as in the lesson)."""
    from nnbook.encoding import one_hot
    from nnbook.layers import Dense
    from nnbook.lessons.images import held_out_split, images_to_inputs
    from nnbook.models import Sequential
    from nnbook.optimizers import Adam

    images, labels = digits()
    x, y = images_to_inputs(images), one_hot(labels, 10)
    train, held_out = held_out_split(len(x), train_fraction=0.8, seed=0)
    model = Sequential([Dense(32, input_shape=(64,), activation="relu"), Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[train], y[train], batch_size=32, epochs=20, verbose=0)
    said = np.argmax(model.predict(x[held_out]), axis=1)
    return labels[held_out].copy(), said


def _confusion_worked_example() -> Case:
    labels, said = _lessons_predictions()
    return _confusion_case("the worked example", labels.copy(), said.copy(), 10)


def _confusion_hidden(rng, name, ten: bool) -> Case:
    while True:
        k = 10 if ten else int(rng.integers(3, 7))
        classes = np.arange(k - 1)                                # the last class never occurs
        if ten:
            classes = np.delete(classes, int(rng.integers(1, k - 2)))   # nor one middle class
        n = int(rng.integers(3 * len(classes), 4 * len(classes) + 1))
        labels = rng.choice(classes, size=n)
        predicted = labels.copy()
        wrong = rng.random(n) < 0.4
        predicted[wrong] = rng.choice(classes, size=int(wrong.sum()))
        predicted[0] = labels[0] = classes[-1]                   # the largest class present occurs
        case = _confusion_case(name, labels, predicted, k)
        if _distinct(case):
            return case


def confusion_matrix(student_confusion_matrix) -> CheckResult:
    """Check ``confusion_matrix(labels, predicted, num_classes=10)`` -> (num_classes, num_classes) counts:
    ``matrix[t, p]`` is how many samples of true class ``t`` were predicted as ``p``; a class absent from the
    data keeps its (zero) row and column."""
    rng = fresh_rng()
    cases = [_confusion_worked_example(),
             _confusion_hidden(rng, "hidden case 1", ten=True),
             _confusion_hidden(rng, "hidden case 2", ten=False)]
    return run_check("confusion_matrix", student_confusion_matrix, cases, same=same_numbers,
                     advice="Start from np.zeros((num_classes, num_classes), dtype=int); for each sample add 1 "
                            "at row labels[i] (the true class), column predicted[i].",
                     error_advice=[(IndexError, "out of bounds",
                                    "a class number fell outside the matrix: make it num_classes x "
                                    "num_classes, whatever classes the data hold.")])
