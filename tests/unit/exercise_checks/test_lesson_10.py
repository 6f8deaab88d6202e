"""nnbook.checks.split_validation.

Right answers in several styles pass; each usual mistake fails with its hint on every run; the reference split
holds out exactly the rows that Sequential.fit(..., validation_split=...) holds out."""

from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with

from nnbook import _validate, checks
from nnbook.data import AGE_OLDER, drug_trial
from nnbook.layers import Dense
from nnbook.models import Sequential
from nnbook.optimizers import SGD
from nnbook.tools.cases import lesson_10


def split_numpy(x, labels, order, validation_split):
    x, labels = x[order], labels[order]
    at = int(len(x) * (1 - validation_split))
    return x[:at], labels[:at], x[at:], labels[at:]


def split_loops(x, labels, order, validation_split):
    rows = [(x[i].tolist(), int(labels[i])) for i in order]
    at = math.floor(len(rows) * (1 - validation_split))
    train, val = rows[:at], rows[at:]
    return [r for r, _ in train], [label for _, label in train], [r for r, _ in val], [label for _, label in val]


def split_with_np_split(x, labels, order, validation_split):
    at = int(x.shape[0] * (1 - validation_split))
    x_train, x_val = np.split(np.take(x, order, axis=0), [at])
    labels_train, labels_val = np.split(np.take(labels, order), [at])
    return x_train, labels_train, x_val, labels_val


def split_in_place(x, labels, order, validation_split):
    x[:] = x[order]          # on the check's copies
    labels[:] = labels[order]
    n_train = int(len(labels) * (1 - validation_split))
    return x[:n_train], labels[:n_train], x[n_train:], labels[n_train:]


def split_where(rule):
    """A split that shuffles right but cuts where ``rule(n, validation_split)`` says."""
    def split_validation(x, labels, order, validation_split):
        x, labels = x[order], labels[order]
        at = rule(len(x), validation_split)
        return x[:at], labels[:at], x[at:], labels[at:]
    return split_validation


@pytest.mark.parametrize("split_validation", [
    split_numpy, split_loops, split_with_np_split, split_in_place,
    split_where(lambda n, s: n - math.ceil(n * s)),     # hold out n * s rounded up: the same rows
])
def test_split_validation_accepts_right_answers(split_validation):
    assert always_passes(checks.split_validation, split_validation)


def swapped(x, labels, order, validation_split):
    parts = split_numpy(x, labels, order, validation_split)
    return parts[2], parts[3], parts[0], parts[1]


def from_the_front(x, labels, order, validation_split):
    x, labels = x[order], labels[order]
    n_val = len(x) - int(len(x) * (1 - validation_split))
    return x[n_val:], labels[n_val:], x[:n_val], labels[:n_val]


@pytest.mark.parametrize("split_validation, hint", [
    (lambda x, labels, order, s: split_numpy(x, labels, np.arange(len(x)), s), "the order was ignored"),
    (swapped, "training and validation are swapped"),
    (from_the_front, "taken from the front"),
    (lambda x, labels, order, s: split_numpy(x[order], labels, np.arange(len(x)), s), "the labels were not"),
    (lambda x, labels, order, s: split_numpy(x, labels[order], np.arange(len(x)), s), "x was not"),
    (lambda x, labels, order, s: split_numpy(x, labels, np.argsort(order), s), "the other way round"),
    (split_where(lambda n, s: int(n * s)), "not the fraction kept for training"),
    (split_where(lambda n, s: math.ceil(n * (1 - s))), "rounded DOWN"),
    (split_where(lambda n, s: round(n * (1 - s))), "rounded DOWN"),
    (split_where(lambda n, s: n - int(n * s)), "rounded DOWN"),
    (split_where(lambda n, s: n - round(n * s)), "rounded DOWN"),
])
def test_split_validation_names_the_usual_mistakes(split_validation, hint):
    assert always_fails_with(checks.split_validation, split_validation, hint)


def test_split_validation_hard_coded_worked_example_fails():
    answer = lesson_10._worked_example().expected
    result = checks.split_validation(lambda *args: answer)
    assert not result and result.passed_cases == 1


def test_a_float_row_number_is_told_to_round_down():
    def unrounded(x, labels, order, validation_split):
        at = len(x) * (1 - validation_split)
        return x[order][:at], labels[order][:at], x[order][at:], labels[order][at:]

    assert failed_with(checks.split_validation(unrounded), "round n * (1 - validation_split) down")


def test_the_worked_example_is_lesson_10s_study_1890_rows_to_train_and_210_to_validate():
    case = lesson_10._worked_example()
    x_train, labels_train, x_val, labels_val = case.expected
    assert (len(x_train), len(labels_train), len(x_val), len(labels_val)) == (1890, 1890, 210, 210)
    assert case.call == ("split_validation(x=<array of shape (2100, 1)>, labels=<array of shape (2100,)>, "
                         "order=<array of shape (2100,)>, validation_split=0.1)")
    assert lesson_10._separates(case)


def test_without_the_order_every_exception_of_the_ordered_study_lands_in_validation():
    """The lesson's point, on the check's worked example: the rule-breakers are the study's last rows."""
    case = lesson_10._worked_example()
    x, labels, order, validation_split = case.args
    ages = np.rint(x[:, 0] * 87 + 13)

    def exceptions(x_part, labels_part):
        return int(np.count_nonzero((np.rint(np.asarray(x_part)[:, 0] * 87 + 13) >= AGE_OLDER) != (labels_part == 1)))

    total = int(np.count_nonzero((ages >= AGE_OLDER) != (labels == 1)))
    unshuffled = split_numpy(x, labels, np.arange(len(x)), validation_split)
    assert exceptions(*unshuffled[2:]) == total == 100
    x_train, labels_train, x_val, labels_val = case.expected
    assert 0 < exceptions(x_val, labels_val) < 0.2 * len(x_val)
    assert exceptions(x_train, labels_train) + exceptions(x_val, labels_val) == total


@pytest.mark.parametrize("n, validation_split", [(2100, 0.1), (10, 0.25), (7, 0.3), (10, 0.3), (11, 0.35),
                                                 (9, 0.15), (8, 0.125)])
def test_the_reference_holds_out_what_sequential_fit_holds_out(n, validation_split):
    """Training on the reference's split with validation_data repeats fit(validation_split=...) exactly, and
    the library's own split rule gives the same rows."""
    rng = np.random.default_rng(n)
    x, labels, order = rng.normal(size=(n, 1)), rng.integers(0, 2, size=n), rng.permutation(n)
    case = lesson_10._split_case("case", x, labels, order, validation_split)
    x_train, labels_train, x_val, labels_val = case.expected

    library_train_x, library_train_labels, (library_val_x, library_val_labels) = \
        _validate.validation_split(x[order], labels[order], validation_split)
    for ours, theirs in zip(case.expected, (library_train_x, library_train_labels, library_val_x, library_val_labels)):
        np.testing.assert_array_equal(ours, theirs)

    def model():
        built = Sequential([Dense(3, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=3)
        built.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return built

    held_out = model().fit(x[order], labels[order], batch_size=4, epochs=3, verbose=0,
                           validation_split=validation_split)
    given = model().fit(x_train, labels_train, batch_size=4, epochs=3, verbose=0,
                        validation_data=(x_val, labels_val))
    assert held_out.history == given.history
    assert held_out.params["steps"] == math.ceil(len(x_train) / 4)


def test_every_hidden_case_separates_every_named_mistake():
    rng = np.random.default_rng(7)
    for pairs in (lesson_10._JUST_BELOW, lesson_10._JUST_ABOVE, lesson_10._WHOLE):
        for _ in range(50):
            case = lesson_10._random_case(rng, "hidden", pairs)
            assert lesson_10._separates(case)
            x, labels, order, _ = case.args
            assert len({tuple(row) for row in x}) == len(x)            # rows told apart at a glance
            assert sorted(order.tolist()) == list(range(len(x)))


def test_the_drug_trial_is_ordered_with_its_exceptions_last():
    ordered = drug_trial(seed=0, shuffle=False)
    follows_rule = (ordered.ages >= AGE_OLDER) == (ordered.labels == 1)
    assert np.all(follows_rule[:2000]) and not np.any(follows_rule[2000:])
