"""Lessons 01-11 end with their concept questions: a "Check your understanding" cell, then quiz.show.

The stored output of that last cell must be the questions as nnbook.lessons.quiz words them today, so a
notebook opened without a kernel (or a static page) shows the current questions.
"""

import json
import re

import pytest
from notebook_helpers import COURSE, code_cells, load, source

from nnbook.lessons import quiz

LESSONS = [f"{n:02d}" for n in range(1, 12)]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def lesson_notebook(lesson):
    paths = sorted(COURSE.glob(f"{lesson}_*.ipynb"))
    assert len(paths) == 1, f"expected one course/{lesson}_*.ipynb, found {paths}"
    return load(paths[0])


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_last_code_cell_shows_the_lesson_quiz(lesson):
    notebook = lesson_notebook(lesson)
    last = code_cells(notebook)[-1]
    lines = [line for line in source(last).splitlines() if line.strip()]
    assert lines and lines[-1].strip() == f'quiz.show("{lesson}")', source(last)
    assert "from nnbook.lessons import quiz" in "\n".join(source(cell) for cell in code_cells(notebook))
    assert "NBVAL_IGNORE_OUTPUT" not in source(last), "the quiz's text output is deterministic: let nbval compare it"


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_check_your_understanding_cell_introduces_it(lesson):
    cells = lesson_notebook(lesson)["cells"]
    index = max(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
    intro = cells[index - 1]
    assert intro["cell_type"] == "markdown"
    text = source(intro)
    assert text.startswith("## Check your understanding")
    assert re.search(rf'quiz\.answer\("{lesson}", \d, "[a-d]"\)', text), "the plain call, for a learner without widgets"


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_stored_output_is_the_current_questions(lesson):
    last = code_cells(lesson_notebook(lesson))[-1]
    assert last["execution_count"] is not None, "the quiz cell was stored unexecuted"
    results = [output for output in last.get("outputs", []) if output["output_type"] == "execute_result"]
    assert len(results) == 1, json.dumps(last.get("outputs", []))[:300]
    data = results[0]["data"]
    assert "".join(data["text/plain"]) == quiz.as_text(lesson), "re-execute the lesson: its questions changed"
    assert WIDGET_VIEW in data
