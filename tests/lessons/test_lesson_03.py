"""Lessons 00 and 03: claims a fresh read checked (issue 9), recomputed here.

00: every lesson from 01 on has an exercise notebook and a solution of the same name, and every link in the
lesson table leads to a file that exists. 03: the two wrong answers of the batch have the largest SSEs; Keras's
mse and its slopes are the course's divided by k; the drug trial takes 66 iterations of 32; a batch, not every
single sample, is the usual unit of a weight update.
"""

import math
import re

import numpy as np
from notebook_helpers import COURSE, ROOT, markdown_text

from nnbook import data, encoding, losses
from nnbook.tools.course_map import LESSONS


def test_00_every_lesson_from_01_has_an_exercise_and_a_solution():
    lessons = sorted(path.name for path in COURSE.glob("[0-9][0-9]_*.ipynb"))
    assert lessons == [f"{lesson.stem}.ipynb" for lesson in LESSONS] and lessons[0].startswith("00_")
    for name in [f"{lesson.stem}.ipynb" for lesson in LESSONS[1:]]:
        assert (ROOT / "exercises" / name).is_file(), name
        assert (ROOT / "solutions" / name).is_file(), name


def test_00_every_link_in_the_lesson_table_resolves():
    text = markdown_text(COURSE / "00_start_here.ipynb")
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", text)
    assert len(links) >= 22                                   # 12 lessons and 10 exercises, at least
    for link in links:
        assert (COURSE / link).resolve().is_file(), link


def test_03_the_two_wrong_answers_have_the_largest_sse():
    pets = data.pets()
    y_true = encoding.one_hot(pets.labels, num_classes=3)
    per_sample = losses.sse(y_true, pets.predictions)
    wrong = np.flatnonzero(np.argmax(pets.predictions, axis=1) != pets.labels)
    assert list(wrong) == [0, 5]                              # "the two wrong answers (pictures 0 and 5)"
    assert set(np.argsort(per_sample)[-2:]) == set(wrong)
    assert "The two wrong answers (pictures 0 and 5) have the largest SSEs" in markdown_text(
        COURSE / "03_loss_functions.ipynb")


def test_03_keras_mse_and_its_slopes_are_the_course_mse_over_k():
    pets = data.pets()
    y_true = encoding.one_hot(pets.labels, num_classes=3)
    k = y_true.shape[1]

    def keras_mse(pred):
        return np.mean((y_true - pred) ** 2)

    assert math.isclose(keras_mse(pets.predictions) * k, losses.mse(y_true, pets.predictions))
    h = 1e-6
    nudge = np.zeros_like(pets.predictions)
    nudge[0, 1] = h                                           # one prediction entry moved a little
    course_slope = (losses.mse(y_true, pets.predictions + nudge)
                    - losses.mse(y_true, pets.predictions - nudge)) / (2 * h)
    keras_slope = (keras_mse(pets.predictions + nudge) - keras_mse(pets.predictions - nudge)) / (2 * h)
    assert math.isclose(keras_slope * k, course_slope, rel_tol=1e-6)
    text = markdown_text(COURSE / "03_loss_functions.ipynb")
    assert "learning rate for plain\ngradient descent" in text


def test_03_the_drug_trial_takes_66_iterations_of_32():
    trial = data.drug_trial(seed=0)
    assert math.ceil(trial.labels.size / 32) == 66
    assert "take 66 iterations" in markdown_text(COURSE / "03_loss_functions.ipynb")
