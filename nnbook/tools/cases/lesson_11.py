"""Lesson 11's checks: flatten_images, confusion_matrix, and train_digits (exercise 06's epoch on the digits).

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
- ``train_digits`` is graded by the accuracy the learner's epoch reaches, not by its numbers: a mistake that
  still trains (the last batch left out, the loss averaged unweighted, the biases not updated) passes, as it
  would in practice. When the accuracy falls short, a small probe names the step, with lesson 06's hints.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnbook.data import digits
from nnbook.tools import grading as _grading
from nnbook.tools.cases import lesson_06
from nnbook.tools.cases.common import fresh_rng, same_numbers
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, for_nbgrader, grade, run_check, show

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"flatten_images": 1, "confusion_matrix": 1, "train_digits": 3}

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


# ============================================================================================== train_digits
#: The digit network the learner's epoch trains: 64 inputs -> 32 relu -> 10 softmax, plain SGD.
DIGITS_LAYERS = (64, 32, 10)
DIGITS_EPOCHS, DIGITS_BATCH_SIZE, DIGITS_LEARNING_RATE = 20, 32, 0.1
#: The held-out accuracy the learner's epoch must reach; a hidden case is kept only if the reference's epoch
#: reaches DIGITS_MARGIN on it, so that a right epoch passes with room to spare.
DIGITS_BAR, DIGITS_MARGIN = 0.95, 0.96
#: A case is a whole training run (20 epochs of 45 batches): it gets this many of grading's time limits.
DIGITS_TIME_LIMITS = 4
_ADVICE_LATER = "\x00the step that went wrong\x00"   # replaced, after the cases ran, by _digits_diagnosis


class _Trained:
    """What a training run reached: the held-out accuracy, or why the run could not go on."""

    def __init__(self, accuracy: float | None, problem: str = ""):
        self.accuracy, self.problem = accuracy, problem

    def __repr__(self) -> str:
        if self.accuracy is None:
            return self.problem
        return f"held-out accuracy {self.accuracy:.4f} after {DIGITS_EPOCHS} epochs"


class _Bar(_Trained):
    """The expected answer: at least DIGITS_BAR, with what the reference epoch reached on this case."""

    def __repr__(self) -> str:
        return (f"held-out accuracy at least {DIGITS_BAR:g} after {DIGITS_EPOCHS} epochs (a right epoch "
                f"reaches {self.accuracy:.4f} here)")


def _accuracy(params, x, labels) -> float:
    """The share of samples whose most probable class is their label (the check's own forward pass)."""
    return float(np.mean(lesson_06._forward(params, x)[2].argmax(axis=1) == labels))


def _digits_params(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Starting weights as lesson 11's network draws them (glorot-uniform kernels, zero biases)."""
    from nnbook.layers import Dense
    from nnbook.models import Sequential

    weights = Sequential([Dense(DIGITS_LAYERS[1], input_shape=(DIGITS_LAYERS[0],), activation="relu"),
                          Dense(DIGITS_LAYERS[2], activation="softmax")], seed=seed).get_weights()
    return list(zip(weights[::2], weights[1::2]))


def _read_params(value, like) -> tuple[list | None, str]:
    """The new weights in the learner's ``(new_params, loss)`` as float arrays shaped like ``like``, else
    ``(None, what is wrong)``."""
    shapes = ", ".join(f"(W {np.shape(W)}, b {np.shape(b)})" for W, b in like)
    wanted = f"(new_params, loss) with new_params a list of {len(like)} (W, b) pairs: {shapes}"
    try:
        params, _ = value
        pairs = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]
    except Exception:   # noqa: BLE001  anything else the learner's epoch returned
        return None, f"train_epoch returned {_grading.describe(value, show)}, where {wanted} was expected"
    if len(pairs) != len(like) or any(W.shape != np.shape(W0) or b.shape != np.shape(b0)
                                      for (W, b), (W0, b0) in zip(pairs, like)):
        got = ", ".join(f"(W {W.shape}, b {b.shape})" for W, b in pairs)
        return None, f"train_epoch returned new_params [{got}], where {wanted} was expected"
    if not all(np.all(np.isfinite(W)) and np.all(np.isfinite(b)) for W, b in pairs):
        return None, "train_epoch returned weights holding nan or inf: the training ran away"
    return pairs, ""


def _digits_run(train_epoch, params, x, labels, x_held, labels_held, order_seed):
    """Train with ``train_epoch`` for DIGITS_EPOCHS epochs, a new order every epoch from one seeded
    generator (as exercise 06's training did), then measure the held-out accuracy. None when train_epoch
    returned None (a missing return)."""
    rng = np.random.default_rng(order_seed)
    for epoch in range(1, DIGITS_EPOCHS + 1):
        value = train_epoch(params, x, labels, rng.permutation(len(labels)), DIGITS_BATCH_SIZE,
                            DIGITS_LEARNING_RATE)
        if value is None:
            return None
        new, problem = _read_params(value, params)
        if new is None:
            return _Trained(None, f"{problem} (epoch {epoch})")
        params = new
    return _Trained(_accuracy(params, x_held, labels_held))


def _reference_accuracy(params, x, labels, x_held, labels_held, order_seed) -> float:
    """The accuracy lesson 06's reference epoch (:func:`lesson_06._epoch`) reaches on the same run."""
    return _digits_run(lambda *args: lesson_06._epoch(*args), params, x, labels, x_held, labels_held,
                       order_seed).accuracy


def _digits_case(name, split_seed: int, weight_seed: int, order_seed: int) -> Case:
    from nnbook.lessons.images import held_out_split, images_to_inputs

    images, labels = digits()
    x = images_to_inputs(images)
    train, held_out = held_out_split(len(x), train_fraction=0.8, seed=split_seed)
    params = _digits_params(weight_seed)
    args = (params, x[train], labels[train], x[held_out], labels[held_out], order_seed)
    call = (f"{DIGITS_EPOCHS} epochs of train_epoch(params, x_train, labels_train, "
            f"order=rng.permutation({len(train)}), batch_size={DIGITS_BATCH_SIZE}, "
            f"learning_rate={DIGITS_LEARNING_RATE:g}) from Sequential(..., seed={weight_seed})'s weights, "
            f"rng = np.random.default_rng({order_seed}); then the accuracy on {len(held_out)} held-out digits "
            f"(split seed {split_seed})")
    return Case(name, call, args, _Bar(_reference_accuracy(*args)))


@lru_cache(maxsize=1)
def _digits_worked_example() -> Case:
    """Lesson 11's split and starting weights (seed 0), and orders from ``np.random.default_rng(0)``."""
    return _digits_case("the worked example", 0, 0, 0)


def _digits_hidden(rng, name) -> Case:
    while True:
        seeds = [int(seed) for seed in rng.integers(1, 10_000, size=3)]
        case = _digits_case(name, *seeds)
        if case.expected.accuracy >= DIGITS_MARGIN:
            return case


def _compare_trained(received, expected) -> str | None:
    if not isinstance(received, _Trained):
        return f"expected a training run, got {_grading.describe(received, show)}"
    if received.accuracy is None:
        return received.problem
    if received.accuracy < DIGITS_BAR:
        return (f"the network your train_epoch trained gets {received.accuracy:.1%} of the held-out digits "
                f"right, below {DIGITS_BAR:.0%}")
    return None


_DIGITS_ADVICE = ("Run exercise 06's check, checks.train_epoch(train_epoch), in 06_training_loop.ipynb: it "
                  "compares each step of your epoch with Keras-style fit and says which one is wrong. Fix it "
                  "there, save that notebook (Ctrl+S), then run the functions_from cell here and this check "
                  "again.")


def _digits_diagnosis(student) -> str:
    """Which step of the learner's epoch keeps the network from learning: a whole-epoch mistake of lesson 06
    it makes on a small probe, weights that never change, else lesson 06's step-by-step diagnosis."""
    params, x, labels, order = lesson_06._probe()
    args = (params, x, labels, order, 5, 0.5)
    outcome = _grading.call_with_limit(student, args, seconds=1.0)
    got = None
    if outcome.error is None and not outcome.timed_out and outcome.value is not None:
        got = _read_params(outcome.value, params)[0]
    if got is not None:
        if all(lesson_06._close(W, W0) and lesson_06._close(b, b0) for (W, b), (W0, b0) in zip(got, params)):
            return ("Your train_epoch hands back the weights it was given: every W and b must take its steps "
                    "during the epoch, and new_params must be those new weights. " + _DIGITS_ADVICE)
        for mistake in ("added", "labels", "one_batch", "order", "biases", "biases_added", "drop_last",
                        "during_backward"):
            wrong = lesson_06._epoch(*args, mistake=mistake)[0]
            if all(lesson_06._close(W, W0) and lesson_06._close(b, b0) for (W, b), (W0, b0) in zip(got, wrong)):
                return f"In your train_epoch {lesson_06.MISTAKES[mistake]} {_DIGITS_ADVICE}"
    diagnosis = lesson_06._diagnosis(student)
    return diagnosis if diagnosis != lesson_06._GENERAL_ADVICE else _DIGITS_ADVICE


def train_digits(student_train_epoch) -> CheckResult:
    """Check that the learner's ``train_epoch`` from exercise 06 trains lesson 11's digit network
    (64 -> 32 relu -> 10 softmax, glorot-uniform start, plain SGD, batches of 32, learning rate 0.1,
    20 epochs, a new order every epoch) to at least 95% held-out accuracy, on lesson 11's split and on two
    hidden splits and starts. As for exercise 06, the learner's code must not use nnbook's engine."""
    rng = fresh_rng()
    cases = [_digits_worked_example(), _digits_hidden(rng, "hidden case 1"), _digits_hidden(rng, "hidden case 2")]
    if not callable(student_train_epoch):
        return run_check("train_digits", student_train_epoch, cases, advice=_DIGITS_ADVICE)
    engine = lesson_06._engine_use(student_train_epoch)
    if engine is not None:
        return for_nbgrader(lesson_06._refused(engine, len(cases), "train_digits"))
    watch = lesson_06._EngineWatch()

    def trained(*args):
        return _digits_run(lambda *epoch: watch.run(student_train_epoch, *epoch), *args)

    result = grade("train_digits", trained, cases, compare=_compare_trained, advice=_ADVICE_LATER,
                   seconds=DIGITS_TIME_LIMITS * _grading.TIME_LIMIT)
    if watch.used:
        return for_nbgrader(lesson_06._refused(", ".join(watch.used), len(cases), "train_digits"))
    explain = [failure for failure in result.failures if _ADVICE_LATER in failure.hint]
    advice = _digits_diagnosis(student_train_epoch) if any("held-out digits right" in failure.hint
                                                           for failure in explain) else _DIGITS_ADVICE
    for failure in explain:
        failure.hint = failure.hint.replace(_ADVICE_LATER, advice).strip()
    return for_nbgrader(result)
