"""The exercise statements of lessons 02, 03, 04 and 08 teach instead of dictating (issue 8): each gives the
idea, the shapes and the lesson's worked number, links to the lesson section that derives it, and leaves the
answer's formula to the learner (the check's hints give it after a failed try)."""

from __future__ import annotations

import re

import pytest
from notebook_helpers import ROOT, load, source

EXERCISES = ROOT / "exercises"

#: exercise notebook, function, the worked number its statement shows, and pieces of the answer it must not show
STATEMENTS = [
    ("02_labels_and_one_hot", "one_hot", "[0, 1, 2, 0, 1, 1, 2, 0]", ["labels[i]", "np.zeros", "np.eye"]),
    ("03_loss_functions", "sse", "0.6638", ["** 2", "\\sum", "^2", "square each"]),
    ("03_loss_functions", "mse", "0.2486", ["** 2", "\\frac", "axis", "\\sum"]),
    ("04_gradient_descent", "update_weight", "0.3855", ["learning_rate * gradient", "lr \\times", "0.01 × (−0.55)",
                                                        "W - "]),
    ("04_gradient_descent", "gradient_descent", "0.3961722", ["learning_rate * gradient", "w = w -", "W - lr"]),
    ("08_training_plots", "accuracy", "0.75", ["argmax(", "axis=1", "np.mean", "== labels"]),
]


def exercise_text(stem: str, function: str) -> str:
    """What the learner reads for one exercise: its statement (from its heading to the next) and its stub."""
    text, inside = [], False
    for cell in load(EXERCISES / f"{stem}.ipynb")["cells"]:
        body = source(cell)
        if cell["cell_type"] == "markdown" and body.startswith("## Exercise"):
            inside = f"`{function}`" in body.splitlines()[0]
        if inside and (cell["cell_type"] == "markdown" or body.startswith(f"def {function}(")):
            text.append(body)
    assert text, f"no exercise {function} in {stem}"
    return "\n".join(text)


@pytest.mark.parametrize("stem, function, worked, answer_pieces", STATEMENTS, ids=[row[1] for row in STATEMENTS])
def test_a_statement_gives_the_worked_number_and_a_lesson_section_but_not_the_answer(stem, function, worked,
                                                                                     answer_pieces):
    text = exercise_text(stem, function)
    assert worked in text
    assert re.search(r"\]\(\.\./course/\d\d_\w+\.ipynb#[^)\s]+\)", text), "no link to a lesson section"
    shown = [piece for piece in answer_pieces if piece in text]
    assert not shown, f"the statement of {function} shows the answer: {shown}"


def jupyterlab_anchor(heading: str) -> str:
    """The id JupyterLab gives a markdown heading: its text as shown, spaces turned into dashes."""
    shown = re.sub(r"[`*_]", "", heading.lstrip("#").strip())
    shown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", shown)
    return shown.replace(" ", "-")


@pytest.mark.parametrize("stem", sorted({row[0] for row in STATEMENTS}))
def test_every_section_link_of_the_exercises_points_at_a_heading_of_its_lesson(stem):
    notebook = load(ROOT / "solutions" / f"{stem}.ipynb")
    links = re.findall(r"\]\(\.\./course/([\w.]+\.ipynb)#([^)\s]+)\)",
                       "\n".join(source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"))
    assert links
    for lesson, anchor in links:
        headings = [line for cell in load(ROOT / "course" / lesson)["cells"] if cell["cell_type"] == "markdown"
                    for line in source(cell).splitlines() if line.startswith("#")]
        assert anchor in {jupyterlab_anchor(heading) for heading in headings}, f"{lesson}#{anchor}"
