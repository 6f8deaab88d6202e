"""Lesson 10 (validation) and its exercise (split_validation), recomputed with the library and found in the
stored notebooks.

The lesson's runs (the lesson10 fixture, tests/conftest.py: lesson 08's network on the rows as they came and
shuffled, a tiny network at two learning rates, a big one on 40 people) show an unshuffled split failing, a good
fit, under-fitting and over-fitting, and the stored outputs show their numbers. Its claims (issue 9):

- each panel's reference lines are computed on that panel's own people: the in-sample floor of its training
  people, the loss of the generator's true probabilities on its validation people;
- lesson 08's 20-epoch network is still learning (its best validation epoch is its last, both losses falling),
  so the lesson names it so, and shows a good fit by training it on (learning rate 0.001, 100 epochs): its
  validation loss levels off near what the true probabilities score, and never turns up;
- the gap between that run's training and validation loss is about the gap between the true probabilities'
  losses on the two sets (the validation people hold more exceptions).

The exercise: what the solution notebook shows, recomputed with the library alone (not with the solution's
function), statements that do not give the answer's code, and the lesson's link to it.
"""

import re

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    ROOT,
    check_statements_hide_the_code,
    clean_stored_text,
    markdown_text,
    source_model,
)

from nnbook.data import AGE_OLDER, drug_trial
from nnbook.lessons import curves

NAME = "10_validation.ipynb"
LESSON = COURSE / NAME
SOLUTIONS = ROOT / "solutions"
SPLIT = 1890


def solution_text(name: str) -> str:
    """The text outputs of solutions/<name>, which must be stored executed, without an error or stderr."""
    return clean_stored_text(SOLUTIONS / name)


@pytest.fixture(scope="module")
def shuffled(lesson10):
    """The shuffled trial of the lesson10 fixture: (ages, x, labels)."""
    ordered, order, _ = lesson10
    return ordered.ages[order], ordered.x[order], ordered.labels[order]


@pytest.fixture(scope="module")
def runs(lesson10, shuffled):
    """Lesson 08's network on the shuffled rows: 20 epochs at learning rate 0.0001 (the lesson10 fixture's
    "shuffled" run), and trained on, 100 epochs at 0.001."""
    _, x, labels = shuffled
    return {"still_learning": lesson10[2]["shuffled"],
            "good_fit": source_model(learning_rate=0.001).fit(x, labels, batch_size=10, epochs=100, verbose=0,
                                                              validation_split=0.1)}


@pytest.fixture(scope="module")
def text():
    return notebook_helpers.stored_text(notebook_helpers.load(COURSE / NAME))


@pytest.fixture(scope="module")
def prose():
    return markdown_text(COURSE / NAME)


# ----------------------------------------------------------------------------------------- claims (issue 9)
def test_each_panel_has_the_floors_of_its_own_people(shuffled, text):
    ages, _, labels = shuffled
    few = drug_trial(seed=16)
    held_out = drug_trial(seed=100, typical=200, exceptions=10)
    whole_floor = curves.loss_floor(ages, labels)
    panels = [("under-fitting: tiny network", (ages[:SPLIT], labels[:SPLIT]), (ages[SPLIT:], labels[SPLIT:])),
              ("a good fit: lesson 08's network, 100 epochs", (ages[:SPLIT], labels[:SPLIT]),
               (ages[SPLIT:], labels[SPLIT:])),
              ("over-fitting: big network, 40 people", (few.ages[:40], few.labels[:40]),
               (held_out.ages, held_out.labels))]
    for title, training, validation in panels:
        floor = curves.loss_floor(*training)
        true_loss = curves.true_probability_loss(*validation)
        assert (f"{title:44s} in-sample floor of its {training[0].size:4d} training people {floor:.4f}, "
                f"true probabilities on its {validation[0].size} validation people {true_loss:.4f}") in text
    big_floor = curves.loss_floor(few.ages[:40], few.labels[:40])
    assert big_floor < 0.05 < whole_floor - 0.1          # the 40 people's own floor is far below 0.1701
    assert f"lowest possible loss {whole_floor:.4f}" not in text


def test_lesson_08s_run_is_named_still_learning(runs, text, prose):
    run = runs["still_learning"]
    val_loss, loss = run.history["val_loss"], run.history["loss"]
    assert curves.best_epoch(run, "val_loss") == len(val_loss)            # best validation epoch = the last
    assert val_loss[-1] < val_loss[-2] and loss[-1] < loss[-2]            # both still falling
    assert "a good fit: lesson 08's network\"" not in text
    assert "still learning: lesson 08's network, 20 epochs" in text
    assert "Its lowest validation loss comes at its very last epoch" in prose


def test_trained_on_it_is_a_good_fit(runs, shuffled, text, prose):
    ages, _, labels = shuffled
    run = runs["good_fit"]
    val_loss, loss = np.array(run.history["val_loss"]), np.array(run.history["loss"])
    best = curves.best_epoch(run, "val_loss")
    assert best < len(val_loss)                                           # a minimum before the end
    assert not curves.is_overfitting(run)                                 # "it never turns up"
    assert val_loss[79:].max() - val_loss[79:].min() < 0.02               # "from epoch 80 on it only wobbles"
    assert val_loss[79:].min() == val_loss.min()
    train_true = curves.true_probability_loss(ages[:SPLIT], labels[:SPLIT])
    val_true = curves.true_probability_loss(ages[SPLIT:], labels[SPLIT:])
    train_floor = curves.loss_floor(ages[:SPLIT], labels[:SPLIT])
    # "both end near what the true probabilities score on their own people, and well above the in-sample floor"
    assert abs(loss[-1] - train_true) < 0.02 and abs(val_loss[-1] - val_true) < 0.02
    assert loss[-1] > train_floor + 0.02
    # the gap between the two losses is about the gap between the two sets' true-probability losses
    assert abs((val_loss[-1] - loss[-1]) - (val_true - train_true)) < 0.01
    follows_rule = (ages >= AGE_OLDER) == (labels == 1)
    held = np.count_nonzero(~follows_rule[SPLIT:])
    assert held == 13 and held / 210 > np.mean(~follows_rule)
    assert "(13 in 210, 6.2%)" in prose
    assert curves.history_table(run, epochs=[1, 20, 40, 60, 80, 100]) in text
    assert (f"lowest validation loss: {val_loss[best - 1]:.4f} at epoch {best}; epochs 80 to 100 stay between "
            f"{val_loss[79:].min():.4f} and {val_loss[79:].max():.4f}") in text
    assert (f"a good fit: lesson 08's network, 100 epochs      training loss {loss[-1]:.4f}, validation loss "
            f"{val_loss[-1]:.4f}, best validation epoch {best:3d} of 100, over-fitting sign: False") in text


# ------------------------------------------------------------------------------------- the lesson's runs
def final(history, key):
    return history.history[key][-1]


def test_10_ordered_data_puts_every_exception_in_the_validation_split(lesson10):
    ordered, order, _ = lesson10
    follows_rule = (ordered.ages >= AGE_OLDER) == (ordered.labels == 1)
    assert np.count_nonzero(~follows_rule[1890:]) == 100 and np.all(follows_rule[:1890])
    shuffled_share = np.mean(~follows_rule[order][1890:])
    assert abs(shuffled_share - np.mean(~follows_rule)) < 0.03


def test_10_the_unshuffled_split_scores_far_below_the_shuffled_one(lesson10):
    runs = lesson10[2]
    ordered, shuffled = runs["ordered"], runs["shuffled"]
    assert final(ordered, "val_accuracy") < 0.6
    assert final(shuffled, "val_accuracy") > final(ordered, "val_accuracy") + 0.3
    assert final(ordered, "accuracy") > 0.95                      # training looks excellent
    assert final(ordered, "val_loss") > ordered.history["val_loss"][0]   # and validation got worse


def test_10_the_shuffled_run_fits_well(lesson10):
    shuffled = lesson10[2]["shuffled"]
    assert not curves.is_overfitting(shuffled)
    assert final(shuffled, "val_loss") < shuffled.history["val_loss"][0] - 0.3
    assert abs(final(shuffled, "val_accuracy") - final(shuffled, "accuracy")) < 0.05


def test_10_the_tiny_network_under_fits_and_a_larger_learning_rate_cures_it(lesson10):
    ordered, _, runs = lesson10
    tiny, fast, shuffled = runs["tiny"], runs["tiny_fast"], runs["shuffled"]
    floor = curves.loss_floor(ordered.ages, ordered.labels)
    assert final(tiny, "loss") > floor + 0.3 and final(tiny, "val_loss") > floor + 0.3
    assert abs(final(tiny, "loss") - final(tiny, "val_loss")) < 0.05
    assert final(tiny, "loss") < tiny.history["loss"][-5]         # still falling
    assert not curves.is_overfitting(tiny)
    assert abs(final(fast, "val_loss") - final(shuffled, "val_loss")) < 0.05


def test_10_the_big_network_over_fits(lesson10):
    runs = lesson10[2]
    big, shuffled = runs["big"], runs["shuffled"]
    best = curves.best_epoch(big, "val_loss")
    val_loss, loss = big.history["val_loss"], big.history["loss"]
    assert best < 50
    assert val_loss[-1] > val_loss[best - 1] + 0.1                # validation loss rose from its minimum
    assert loss[-1] < loss[best - 1]                              # while the training loss kept falling
    assert curves.is_overfitting(big)
    # lower training loss than the good run, yet worse on held-out people
    assert final(big, "loss") < final(shuffled, "loss")
    assert final(big, "val_loss") > final(shuffled, "val_loss")


def test_10_stored_outputs_show_the_runs_numbers(lesson10):
    ordered, order, runs = lesson10
    text = clean_stored_text(LESSON)
    epochs = [1, 5, 10, 15, 20]
    for name in ("ordered", "shuffled", "tiny"):
        assert curves.history_table(runs[name], epochs=epochs) in text, name
    assert curves.history_table(runs["tiny_fast"], epochs=[1, 20]) in text
    assert "validation rows:  210 people, 100 exceptions (47.6%)" in text
    shuffled_ages, shuffled_labels = ordered.ages[order], ordered.labels[order]
    train_floor = curves.loss_floor(shuffled_ages[:1890], shuffled_labels[:1890])
    assert f"in-sample floor of the 1890 training people (lesson 08): {train_floor:.4f}" in text
    big = runs["big"]
    best = curves.best_epoch(big, "val_loss")
    assert f"lowest validation loss: {big.history['val_loss'][best - 1]:.4f} at epoch {best}" in text
    assert (f"at epoch 400: training loss {final(big, 'loss'):.4f}, validation loss {final(big, 'val_loss'):.4f}, "
            f"validation accuracy {final(big, 'val_accuracy'):.4f}") in text
    assert "weights: 4418" in text and "weights: 4\n" in text
    for name, title in [("tiny", "under-fitting: tiny network"),
                        ("shuffled", "still learning: lesson 08's network, 20 epochs"),
                        ("big", "over-fitting: big network, 40 people")]:
        run = runs[name]
        assert (f"{title:48s} training loss {final(run, 'loss'):.4f}, validation loss {final(run, 'val_loss'):.4f}, "
                f"best validation epoch {curves.best_epoch(run, 'val_loss'):3d} of {len(run.history['loss']):3d}, "
                f"over-fitting sign: {curves.is_overfitting(run)}") in text


# ------------------------------------------------------------------------------------------ the exercise
def test_the_statements_do_not_give_the_answers_code():
    """Derive, don't transcribe: no line of the solution, and no slicing or indexing of it, is in the text."""
    check_statements_hide_the_code(SOLUTIONS / "10_validation.ipynb",
                                   ["x[order]", "int(n", "(age - ", "max - min", "reshape(-1, 1)"])


def test_10_the_solution_counts_where_the_exceptions_land():
    ordered = drug_trial(seed=0, shuffle=False)
    n = ordered.labels.size
    split_at = int(n * (1 - 0.1))
    follows_rule = (ordered.ages >= AGE_OLDER) == (ordered.labels == 1)
    order = np.random.default_rng(0).permutation(n)
    text = solution_text("10_validation.ipynb")
    assert "✔ split_validation: all 4 cases passed" in text
    for title, rule in [("as the rows came", follows_rule), ("shuffled first  ", follows_rule[order])]:
        train, val = np.count_nonzero(~rule[:split_at]), np.count_nonzero(~rule[split_at:])
        assert (f"{title}: training {split_at} rows, {train:3d} exceptions; "
                f"validation {n - split_at} rows, {val:3d} exceptions") in text
    assert np.count_nonzero(~follows_rule[split_at:]) == 100      # unshuffled: every exception held out


def test_10_the_solutions_split_trains_exactly_as_fit_validation_split_does():
    ordered = drug_trial(seed=0, shuffle=False)
    order = np.random.default_rng(0).permutation(ordered.labels.size)
    history = source_model().fit(ordered.x[order], ordered.labels[order], batch_size=10, epochs=2, verbose=0,
                                 validation_split=0.1)
    text = solution_text("10_validation.ipynb")
    for title in ("fit(validation_split=0.1)", "your split              "):
        assert (f"{title}: val_loss {history.history['val_loss'][-1]:.4f}, "
                f"val_accuracy {history.history['val_accuracy'][-1]:.4f}") in text
    assert "the same history, number for number: True" in text


def test_10_the_statements_worked_numbers_follow_fits_rule():
    statement = markdown_text(SOLUTIONS / "10_validation.ipynb")
    for n, fraction, train in [(2100, 0.1, 1890), (10, 0.25, 7), (6, 0.25, 4)]:
        assert int(n * (1 - fraction)) == train
    assert "2100\nrows with 0.1 give 1890 rows to train on and 210 to validate" in statement
    assert "Ten rows with 0.25 give 7.5, so 7 to\ntrain on and 3 to validate" in statement
    assert re.search(r"6 × 0\.75 = 4\.5 rounds\s+down to 4 rows", statement)



def test_the_lessons_point_to_their_exercises_which_exist():
    lesson, exercise = "10_validation.ipynb", "../exercises/10_validation.ipynb"
    assert f"]({exercise})" in markdown_text(COURSE / lesson)
    assert (COURSE / exercise).resolve().is_file()
