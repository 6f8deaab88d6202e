"""Lesson 05's exercise notebook: statements that derive instead of transcribe, worked numbers that are right,
the order the capstone of lesson 06 builds on, and the lesson's derivations those exercises point to."""

from __future__ import annotations

import re

import numpy as np
import pytest
from notebook_helpers import COURSE, ROOT, code_cells, load, output_text, source

from nnbook.descent import bowl_loss, numerical_gradient
from nnbook.tools.cases import lesson_05

SOLUTIONS = ROOT / "solutions" / "05_backpropagation.ipynb"
LESSON = COURSE / "05_backpropagation.ipynb"
#: The exercises in the order they build on each other; the last four are what lesson 06's capstone loads.
ORDER = ["numerical_gradient", "dense_forward", "dense_backward", "relu_backward", "softmax_crossentropy_backward"]
SIGNATURES = {"numerical_gradient": "def numerical_gradient(f, w, h=1e-5):",
              "dense_forward": "def dense_forward(x, W, b):",
              "dense_backward": "def dense_backward(x, W, grad_out):",
              "relu_backward": "def relu_backward(z, grad_out):",
              "softmax_crossentropy_backward": "def softmax_crossentropy_backward(probabilities, labels):"}
#: What an answer's formula looks like in code or in the statement; none may appear where the learner reads
#: before a failed check (statements and the docstrings copied into the stubs).
ANSWER_FORMULAS = [r"W\.T", r"x\.T", r"grad_out\s*@", r"@\s*grad_out", r"sum\(axis", r"summed over the rows",
                   r"z\s*>\s*0", r"z\s*>=\s*0", r"\(z > 0\)", r"p\s*-\s*one_hot", r"probabilities\s*-",
                   r"one_hot\(labels\)\s*\)?\s*/\s*n", r"/\s*\(?2\s*\*?\s*h\)?", r"2h\)", r"e_i",
                   r"x\s*@\s*W\s*\+\s*b\)?\s*,\s*shape", r"Returns x @ W"]


def cells():
    return load(SOLUTIONS)["cells"]


def statement(name):
    """The markdown cell that introduces an exercise (its heading names the function)."""
    return next(source(cell) for cell in cells()
                if cell["cell_type"] == "markdown" and source(cell).startswith("## Exercise") and f"`{name}`" in
                source(cell).splitlines()[0])


def solution_cell(name):
    return next(source(cell) for cell in code_cells(SOLUTIONS) if SIGNATURES[name] in source(cell))


def docstring(name):
    text = solution_cell(name)
    return text[text.index('"""'):text.rindex('"""')]


def test_the_exercises_come_in_the_order_that_builds_with_their_exact_signatures():
    headings = [source(cell).splitlines()[0] for cell in cells()
                if cell["cell_type"] == "markdown" and source(cell).startswith("## Exercise")]
    assert [re.search(r"`(\w+)`", heading).group(1) for heading in headings] == ORDER
    checked = [re.search(r"checks\.(\w+)\((\w+)\)", source(cell)).groups() for cell in code_cells(SOLUTIONS)
               if re.search(r"checks\.(\w+)\((\w+)\)", source(cell))]
    assert checked == [(name, name) for name in ORDER]
    for name in ORDER:
        assert SIGNATURES[name] in solution_cell(name)


@pytest.mark.parametrize("name", ORDER)
def test_statements_and_stub_docstrings_do_not_give_the_answers_formula(name):
    for text in (statement(name), docstring(name)):
        for pattern in ANSWER_FORMULAS:
            assert not re.search(pattern, text), (name, pattern)


@pytest.mark.parametrize("name", ORDER)
def test_each_statement_has_shapes_a_worked_number_and_a_pointer_to_lesson_05(name):
    text = statement(name)
    assert "(../course/05_backpropagation.ipynb)" in text or name == "dense_backward"   # it refers to "lesson 05"
    assert "lesson 05" in text.lower()
    assert "**A worked number.**" in text
    if name != "numerical_gradient":
        assert re.search(r"\(n, \w+\)", text), "the shapes"


def test_the_try_it_cells_compare_the_new_functions_with_nnbooks_numerical_gradient():
    tries = [source(cell) for cell in code_cells(SOLUTIONS) if "checks.try_it(" in source(cell)]
    for name in ("dense_backward", "relu_backward", "softmax_crossentropy_backward"):
        cell = next(text for text in tries if f"checks.try_it({name}," in text)
        assert "descent.numerical_gradient(" in cell


def stored_outputs():
    return "\n".join(output_text(output) for cell in code_cells(SOLUTIONS) for output in cell["outputs"])


def test_the_worked_numbers_of_the_statements_are_right_and_shown_by_the_solution():
    shown = stored_outputs()
    # numerical_gradient: the bowl with h = 0.1, and the cube with h = 0.1
    assert numerical_gradient(bowl_loss, 0.38, h=0.1) == pytest.approx(-0.55)
    assert numerical_gradient(lambda w: w ** 3, 1.0, h=0.1) == pytest.approx(3.01)
    assert "(1.331 − 0.729) / 0.2 = 3.01" in statement("numerical_gradient")
    assert "numerical_gradient(cube, 1.0, h=0.1) returned 3.01" in shown
    # dense_forward and dense_backward on the lesson's small layer
    x, W, b, grad_out = lesson_05._worked_dense()
    out = np.einsum("ni,io->no", x, W) + b
    assert out[0, 0] == pytest.approx(0.5 * 0.1 + (-1.0) * 0.4 + 2.0 * (-0.3) + 0.05) == pytest.approx(-0.9)
    assert "[[−0.9, −0.1], [0.35, −0.5]]" in statement("dense_forward")
    np.testing.assert_allclose(out, [[-0.9, -0.1], [0.35, -0.5]])
    grad_W = numerical_gradient(lambda V: float(np.sum(grad_out * (x @ V + b))), W)
    assert grad_W[0, 0] == pytest.approx(0.5 * 0.2 + 1.5 * (-0.4)) == pytest.approx(-0.5)
    # relu_backward: the first row, and the stored try-it output with the corner's half slope
    z, grad = lesson_05._worked_relu()
    row = numerical_gradient(lambda v: float(np.sum(grad * np.maximum(v, 0))), z)[0]
    assert row[:2] == pytest.approx([0.2, 0.0]) and row[2] == pytest.approx(0.35)   # z = 0: half of 0.7
    assert "the first row of the answer is `[0.2, 0.0, 0.0]`" in statement("relu_backward")
    assert "dL/dz by finite differences: [[0.2, 0.0, 0.35], [0.0, -0.5, 0.3]]" in shown
    # softmax_crossentropy_backward: the first row from a finite difference of the mean cross-entropy
    p, labels = lesson_05._worked_softmax_crossentropy()

    def mean_crossentropy(scores):
        e = np.exp(scores)
        return float(np.mean(-np.log(e[np.arange(2), labels] / e.sum(axis=1))))

    slope = numerical_gradient(mean_crossentropy, np.log(p))
    np.testing.assert_allclose(slope[0], [-0.315, 0.25, 0.065], atol=1e-8)
    assert "(−0.315, 0.25, 0.065)" in statement("softmax_crossentropy_backward")
    assert "[[-0.315, 0.25, 0.065], [0.05, -0.125, 0.075]]" in shown


def test_every_check_of_the_solution_passes_as_stored():
    results = [output_text(output) for cell in code_cells(SOLUTIONS)
               if re.fullmatch(r"checks\.(\w+)\(\1\)", source(cell).strip()) for output in cell["outputs"]]
    assert len(results) == len(ORDER)
    for name, result in zip(ORDER, results):
        assert result.startswith(f"✔ {name}: all ") and "cases passed" in result


def test_the_closing_cell_hands_the_four_pieces_to_lesson_06s_capstone():
    closing = source(cells()[-1])
    for name in ORDER[1:]:
        assert f"`{name}`" in closing
    assert "capstone" in closing and "(../course/06_training_loop.ipynb)" in closing
    assert "(06_training_loop.ipynb)" in closing


def lesson_markdown():
    return [source(cell) for cell in load(LESSON)["cells"] if cell["cell_type"] == "markdown"]


def test_lesson_05_holds_the_derivations_the_statements_point_to():
    markdown = "\n".join(lesson_markdown())
    # every section a statement names exists in the lesson
    for name in ORDER:
        sections = re.findall(r"(?<!\*)\*([A-Z][^*]+)\*(?!\*)", statement(name))   # italics, not bold
        assert sections, name
        for section in sections:
            assert " ".join(section.split()) in " ".join(markdown.split()), (name, section)
    # relu: slope 1 / 0 and the choice at exactly 0; softmax + cross-entropy for a batch; a dense layer's shapes
    assert "slope is 1 where `z1 > 0` and 0 elsewhere" in markdown
    assert "**At exactly z = 0**" in markdown and "not\n`z1 >= 0`" in markdown
    assert "`delta2 = (a2 - one_hot) / n`" in markdown and "= a2_i - y_i`" in markdown
    for gradient, shape in [("`xᵀ delta`", "(in, out)"), ("`delta` summed over the rows", "(out,)"),
                            ("`delta Wᵀ`", "(n, in)")]:
        assert gradient in markdown and shape in markdown
    # each new derivation cell points to the practice
    for cell in lesson_markdown():
        if cell.startswith(("**At exactly z = 0**", "**Softmax and cross-entropy for a batch.**",
                            "**A dense layer for a batch, with shapes.**")):
            assert "(../exercises/05_backpropagation.ipynb)" in cell
    assert all(f"`{name}`" in lesson_markdown()[-1] for name in ORDER)


def test_the_lessons_batch_formula_agrees_with_the_engine():
    """The new cell's delta2 = (a2 - one_hot) / n is what the engine backpropagates for a batch."""
    from nnbook.data import drug_trial
    from nnbook.layers import Dense
    from nnbook.models import Sequential

    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")], seed=3)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    trial = drug_trial(seed=0)
    x, y = trial.x[:6], trial.labels[:6]
    _, (grad_W, grad_b) = model.compute_gradients(x, y)
    W, b = model.get_weights()
    z = x @ W + b
    a = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    delta = (a - np.eye(2)[y]) / len(y)
    np.testing.assert_allclose(grad_W, x.T @ delta, atol=1e-12)
    np.testing.assert_allclose(grad_b, delta.sum(axis=0), atol=1e-12)
