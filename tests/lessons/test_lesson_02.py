"""Lesson 02's claims (issue 9): the batch's count per class is the library's, and the lesson says that real data
sets hold thousands of samples of every class."""

from notebook_helpers import COURSE, load, markdown_text, stored_text

from nnbook import data, encoding

LESSON = COURSE / "02_labels_and_one_hot.ipynb"


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
