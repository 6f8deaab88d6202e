"""Lesson 02 (labels and one-hot) and its exercise (one_hot).

The seed figures (Cat 0, Dog 1, Other 2; the one-hot rows; argmax back to a name) as the library computes them,
and the same numbers in the stored notebook. The lesson's claims (issue 9): the batch's count per class is the
library's, and the lesson says that real data sets hold thousands of samples of every class. The exercise's
statement gives the worked number and a lesson section, not the answer (issue 8).
"""

import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    check_executed_once_cleanly,
    check_section_links,
    check_statement_teaches,
    check_widget_cells,
    load,
    markdown_text,
    stored_text,
)

from nnbook import data, encoding
from nnbook.data import PET_CLASSES, pets
from nnbook.lessons import widgets

LESSON = COURSE / "02_labels_and_one_hot.ipynb"
#: exercise notebook, function, the worked number its statement shows, and pieces of the answer it must not show
STATEMENTS = [
    ("02_labels_and_one_hot", "one_hot", "[0, 1, 2, 0, 1, 1, 2, 0]", ["labels[i]", "np.zeros", "np.eye"]),
]


def stored():
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return stored_text(LESSON, skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


# ------------------------------------------------------------------------------ the seed figures, from the library
def test_class_map_and_integer_labels():
    assert encoding.class_map(PET_CLASSES) == {"Cat": 0, "Dog": 1, "Other": 2}
    assert encoding.encode(["Cat", "Dog", "Other"], PET_CLASSES).tolist() == [0, 1, 2]


def test_one_hot_rows():
    rows = encoding.one_hot([0, 1, 2], 3)
    assert [tuple(row) for row in rows] == [(1, 0, 0), (0, 1, 0), (0, 0, 1)]


def test_argmax_reads_the_worked_example_as_dog():
    assert encoding.decode(pets().predictions[0], PET_CLASSES) == "Dog"
    assert pets().names[0] == "Cat"


# ----------------------------------------------------------------------------------------- claims (issue 9)


def test_the_counts_per_class_are_the_batchs():
    pets = data.pets()
    counts = {name: int((pets.labels == label).sum()) for name, label in encoding.class_map(data.PET_CLASSES).items()}
    assert sum(counts.values()) == len(pets.names) == 8
    stored = stored_text(LESSON)
    for name, count in counts.items():
        assert f"{name:<5}: {count} pictures" in stored


def test_the_lesson_says_real_data_sets_hold_thousands_per_class():
    text = markdown_text(load(LESSON))
    assert "thousands of labelled pictures of every class" in text
    assert "Eight pictures are enough" in text and len(data.pets().names) == 8


# ------------------------------------------------------------------------------------- the notebook as stored
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings():
    check_executed_once_cleanly(LESSON)


def test_widget_cells_ignore_output_and_a_static_cell_follows_them():
    check_widget_cells(LESSON)


def test_lesson02_shows_the_class_map_and_the_one_hot_table():
    text = stored()
    for name, label in encoding.class_map(PET_CLASSES).items():
        assert f"{label:>5}  {name}" in text
    for name, row in zip(PET_CLASSES, encoding.one_hot([0, 1, 2], 3)):
        assert f"{name:<7} " + "  ".join(f"{v:>5.0f}" for v in row) in text
        assert widgets.one_hot_report(name) in text
    assert str(encoding.one_hot(pets().labels, 3)) in text


def test_lesson02_shows_argmax_back_to_a_name():
    text = stored()
    batch = pets()
    position = int(np.argmax(batch.predictions[0]))
    assert f"largest entry at position {position} -> {PET_CLASSES[position]}" in text
    assert "largest entry at position 1 -> Dog" in text
    for i, (truth, guess) in enumerate(zip(batch.names, encoding.decode(batch.predictions, PET_CLASSES))):
        verdict = "right" if truth == guess else "wrong"
        assert f"picture {i}: true {truth:<5}  predicted {guess:<5}  {verdict}" in text


# ---------------------------------------------------------------------------- the exercise's statement (issue 8)
@pytest.mark.parametrize("stem, function, worked, answer_pieces", STATEMENTS, ids=[row[1] for row in STATEMENTS])
def test_a_statement_gives_the_worked_number_and_a_lesson_section_but_not_the_answer(stem, function, worked,
                                                                                     answer_pieces):
    check_statement_teaches(stem, function, worked, answer_pieces)


def test_every_section_link_of_the_exercises_points_at_a_heading_of_its_lesson():
    check_section_links("02_labels_and_one_hot")
