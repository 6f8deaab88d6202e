"""Exercises 11: what the solution notebook shows, recomputed with the library alone (not with the solution's
functions), the statement's worked numbers, and the lesson's link to the exercise.
"""

from __future__ import annotations

import notebook_helpers
import numpy as np
from notebook_helpers import COURSE, ROOT, markdown_text

from nnbook.data import digits
from nnbook.lessons import images as pictures
from nnbook.tools.cases import lesson_11

SOLUTIONS = ROOT / "solutions"
NAME = "11_images.ipynb"


def stored(name: str = NAME) -> str:
    return notebook_helpers.stored_solution_text(SOLUTIONS / name)


def test_both_checks_pass_in_the_stored_solution():
    text = stored()
    assert "✔ flatten_images: all 3 cases passed" in text
    assert "✔ confusion_matrix: all 3 cases passed" in text


def test_the_statements_do_not_give_the_answers_code():
    text = markdown_text(SOLUTIONS / NAME)
    lines = notebook_helpers.solution_lines(SOLUTIONS / NAME)
    assert len(lines) >= 5
    for line in lines:
        assert line not in text, line
    for fragment in ["reshape(", "/ 16", "np.add.at", "+= 1"]:
        assert fragment not in text, fragment


def test_the_statements_worked_numbers():
    text = markdown_text(SOLUTIONS / NAME)
    row = np.array([[[0, 0, 5, 13, 9, 1, 0, 0]] + [[0] * 8] * 7])
    assert np.array_equal(digits().images[0, 0], row[0, 0])          # the first digit's top row
    inputs = pictures.images_to_inputs(row)[0, :8]
    assert "the inputs 0, 0, 0.3125, 0.8125,\n0.5625, 0.0625, 0, 0" in text
    assert inputs.tolist() == [0, 0, 0.3125, 0.8125, 0.5625, 0.0625, 0, 0]
    matrix = pictures.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert "[[1, 1, 0],\n [0, 1, 0],\n [1, 0, 2]]" in stored()


def test_the_solutions_run_is_the_lessons_network_and_its_matrix():
    """The check's worked example trains the lesson's network; the notebook shows the same accuracy and matrix."""
    labels, said = lesson_11._lessons_predictions()
    matrix = pictures.confusion_matrix(labels, said)
    text = stored()
    assert f"held-out accuracy: {np.mean(said == labels):.1%} of {len(labels)} digits" in text
    assert str(matrix) in text
    right = int(np.trace(matrix))
    assert f"right (the diagonal): {right}, wrong: {len(labels) - right}" in text
    count, true, guess = pictures.confusions(matrix)[0]
    assert f"the most frequent mistake: {count} x a {true} called {guess}" in text
    assert right / len(labels) > 0.95


def test_lesson_11_points_to_its_exercise_which_exists():
    assert "](../exercises/11_images.ipynb)" in markdown_text(COURSE / NAME)
    assert (ROOT / "exercises" / NAME).is_file()
