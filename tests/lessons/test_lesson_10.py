"""Lesson 10's claims (issue 9), recomputed with the library and found in the lesson.

- each panel's reference lines are computed on that panel's own people: the in-sample floor of its training
  people, the loss of the generator's true probabilities on its validation people;
- lesson 08's 20-epoch network is still learning (its best validation epoch is its last, both losses falling),
  so the lesson names it so, and shows a good fit by training it on (learning rate 0.001, 100 epochs): its
  validation loss levels off near what the true probabilities score, and never turns up;
- the gap between that run's training and validation loss is about the gap between the true probabilities'
  losses on the two sets (the validation people hold more exceptions).
"""

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import COURSE, markdown_text, source_model

from nnbook.data import AGE_OLDER, drug_trial
from nnbook.lessons import curves

NAME = "10_validation.ipynb"
SPLIT = 1890




@pytest.fixture(scope="module")
def shuffled():
    ordered = drug_trial(seed=0, shuffle=False)
    order = np.random.default_rng(0).permutation(2100)
    return ordered.ages[order], ordered.x[order], ordered.labels[order]


@pytest.fixture(scope="module")
def runs(shuffled):
    _, x, labels = shuffled
    return {"still_learning": source_model(learning_rate=0.0001).fit(x, labels, batch_size=10, epochs=20,
                                                                     verbose=0, validation_split=0.1),
            "good_fit": source_model(learning_rate=0.001).fit(x, labels, batch_size=10, epochs=100, verbose=0,
                                                              validation_split=0.1)}


@pytest.fixture(scope="module")
def text():
    return notebook_helpers.stored_text(notebook_helpers.load(COURSE / NAME))


@pytest.fixture(scope="module")
def prose():
    return markdown_text(COURSE / NAME)


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
