"""Lesson 00 (start here): the lesson table links every lesson and exercise, and the notebook as stored.

Every lesson from 01 on has an exercise notebook and a solution of the same name (issue 9), every link in the
lesson table leads to a file that exists, and the check cell is shown as text only.
"""

import re

from notebook_helpers import (
    COURSE,
    ROOT,
    check_executed_once_cleanly,
    check_widget_cells,
    code_cells,
    load,
    markdown_text,
    source,
    stored_text,
)

from nnbook import encoding
from nnbook.lessons import widgets
from nnbook.tools.course_map import LESSONS

LESSON = COURSE / "00_start_here.ipynb"
#: Every lesson of the course map (COURSE.md), by file name.
ALL_LESSONS = ["00_start_here", "01_training_is_optimisation", "02_labels_and_one_hot", "03_loss_functions",
               "04_gradient_descent", "05_backpropagation", "06_training_loop", "07_keras_style_training",
               "08_training_plots", "09_inference", "10_validation", "11_images"]


def notebook():
    return load(LESSON)


def stored():
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return stored_text(notebook(), skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


def markdown():
    return markdown_text(notebook())


# ---------------------------------------------------------------------------------- the lesson table (issue 9)
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


def test_lesson00_links_every_lesson_and_marks_any_missing_one():
    text = markdown()
    for name in ALL_LESSONS:
        assert f"]({name}.ipynb)" in text, name
        row = next(line for line in text.splitlines() if f"]({name}.ipynb)" in line)
        assert (COURSE / f"{name}.ipynb").exists() or "coming soon" in row, row
        has_exercises = (ROOT / "exercises" / f"{name}.ipynb").exists()
        assert (f"(../exercises/{name}.ipynb)" in row) == has_exercises, row


# ------------------------------------------------------------------------------------- the notebook as stored
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings():
    check_executed_once_cleanly(notebook())


def test_widget_cells_ignore_output_and_a_static_cell_follows_them():
    check_widget_cells(notebook())


def test_lesson00_shows_the_check_cell_as_text_only():
    assert "from nnbook import checks\nchecks.one_hot(one_hot)" in markdown()
    assert not any("checks" in source(cell) for cell in code_cells(notebook()))
    for folder in ("course/", "exercises/", "solutions/"):
        assert folder in markdown()
    for words in ("Shift+Enter", "Run All Cells", "Restart Kernel"):
        assert words in markdown()


def test_lesson00_outputs():
    text = stored()
    assert repr(encoding.one_hot([0, 1, 2], 3)) in text
    assert widgets.square_text(5) in text
