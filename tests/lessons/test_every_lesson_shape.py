"""Every lesson has the same frame: a title with its number, its goals first, and a closing summary that
points to its exercise notebook and to the next lesson, under the names the course map gives them."""

import pytest
from notebook_helpers import COURSE, ROOT, load, source

from nnbook.tools.course_map import LESSONS


def markdown_cells(lesson) -> list[str]:
    return [source(cell) for cell in load(COURSE / f"{lesson.stem}.ipynb")["cells"] if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_lesson_opens_with_its_number_title_and_goals(lesson):
    first = markdown_cells(lesson)[0]
    assert first.startswith(f"# {lesson.number} · {lesson.title}"), first.splitlines()[0]
    assert "you will learn" in first.lower()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_lesson_closes_with_a_summary_its_exercise_and_the_next_lesson(lesson):
    last = markdown_cells(lesson)[-1]
    assert last.startswith("## Summary"), last.splitlines()[0]
    position = LESSONS.index(lesson)
    if lesson.checks:
        exercise = f"(../exercises/{lesson.stem}.ipynb)"
        assert "**Exercise:**" in last and exercise in last
        assert (ROOT / "exercises" / f"{lesson.stem}.ipynb").exists()
        assert (ROOT / "solutions" / f"{lesson.stem}.ipynb").exists()
    if position + 1 < len(LESSONS):
        following = LESSONS[position + 1]
        assert f"**Next:** [{following.number} · {following.title}]({following.stem}.ipynb)" in last
        assert "**Exercise:**" not in last or last.index("**Exercise:**") < last.index("**Next:**")
    else:
        assert "**Next:**" not in last
