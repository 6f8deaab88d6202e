"""The exercises of lessons 09 and 10: what their solution notebooks show, recomputed here, and the lessons'
links to them.

Each test repeats a notebook's seeded computation with the library alone (not with the solution's function),
so it fails if a stored output stops matching what the notebook claims.
"""

from __future__ import annotations

import re

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import COURSE, ROOT, markdown_text, source_model

from nnbook.data import AGE_MAX, AGE_MIN, AGE_OLDER, TRIAL_CLASSES, drug_trial
from nnbook.lessons import inference

SOLUTIONS = ROOT / "solutions"
NEW_AGES = [18, 35, 52, 61, 64, 66, 70, 85, 99]


def stored(name: str) -> str:
    return notebook_helpers.stored_solution_text(SOLUTIONS / name)


def solution_lines(name: str) -> list[str]:
    return notebook_helpers.solution_lines(SOLUTIONS / name)


@pytest.mark.parametrize("name", ["09_inference.ipynb", "10_validation.ipynb"])
def test_the_statements_do_not_give_the_answers_code(name):
    """Derive, don't transcribe: no line of the solution, and no slicing or indexing of it, is in the text."""
    text = markdown_text(SOLUTIONS / name)
    code = solution_lines(name)
    assert code
    for line in code:
        assert line not in text, line
    for fragment in ["x[order]", "int(n", "(age - ", "max - min", "reshape(-1, 1)"]:
        assert fragment not in text, fragment


# ============================================================================================ lesson 09
@pytest.fixture(scope="module")
def lesson09_model():
    trial = drug_trial(seed=0)
    model = source_model()
    model.fit(trial.x, trial.labels, batch_size=10, epochs=20, verbose=0)
    return trial, model


def test_09_the_scaling_numbers_are_the_training_datas_youngest_and_oldest():
    trial = drug_trial(seed=0)
    assert (trial.ages.min(), trial.ages.max()) == (AGE_MIN, AGE_MAX) == (13, 100)
    text = markdown_text(COURSE / "09_inference.ipynb")
    assert "youngest and the oldest age **in the training data**" in text
    own = (np.array(NEW_AGES) - min(NEW_AGES)) / (max(NEW_AGES) - min(NEW_AGES))
    assert (own[0], own[-1]) == (0.0, 1.0)
    assert f"range from {min(NEW_AGES)} to {max(NEW_AGES)}" in text
    statement = markdown_text(SOLUTIONS / "09_inference.ipynb")
    assert f"becomes {(70 - 13) / 87:.4f}" in statement


def test_09_the_solution_predicts_the_lessons_classes_from_its_own_scaling(lesson09_model):
    trial, model = lesson09_model
    x = inference.ages_to_inputs(NEW_AGES)
    names = inference.predict_classes(model, x, TRIAL_CLASSES)
    text = stored("09_inference.ipynb")
    assert "✔ scale_like_training: all 4 cases passed" in text
    assert f"youngest {trial.ages.min()}, oldest {trial.ages.max()}" in text
    for age, value, name in zip(NEW_AGES, x[:, 0], names):
        assert f"age {age:2d} -> input {value:.4f} -> {name}" in text
    assert names[0] == TRIAL_CLASSES[0] and names[-1] == TRIAL_CLASSES[1]


def test_09_a_clinic_scaled_with_its_own_range_gets_a_different_answer(lesson09_model):
    _, model = lesson09_model
    right = inference.ages_to_inputs([30, 40])
    own = np.array([[0.0], [1.0]])
    right_names = inference.predict_classes(model, right, TRIAL_CLASSES)
    own_names = inference.predict_classes(model, own, TRIAL_CLASSES)
    assert right_names != own_names                      # the notebook's point: same people, two answers
    text = stored("09_inference.ipynb")
    assert f"like the training data: inputs {np.round(right[:, 0], 4).tolist()} -> {right_names}" in text
    assert f"with their own range : inputs [0.0, 1.0] -> {own_names}" in text


# ============================================================================================ lesson 10
def test_10_the_solution_counts_where_the_exceptions_land():
    ordered = drug_trial(seed=0, shuffle=False)
    n = ordered.labels.size
    split_at = int(n * (1 - 0.1))
    follows_rule = (ordered.ages >= AGE_OLDER) == (ordered.labels == 1)
    order = np.random.default_rng(0).permutation(n)
    text = stored("10_validation.ipynb")
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
    text = stored("10_validation.ipynb")
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


# ============================================================================================ the lessons' links
@pytest.mark.parametrize("lesson, exercise", [("09_inference.ipynb", "../exercises/09_inference.ipynb"),
                                              ("10_validation.ipynb", "../exercises/10_validation.ipynb")])
def test_the_lessons_point_to_their_exercises_which_exist(lesson, exercise):
    assert f"]({exercise})" in markdown_text(COURSE / lesson)
    assert (COURSE / exercise).resolve().is_file()
