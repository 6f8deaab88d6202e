"""Lesson 01 (training is optimisation) and its exercise (softmax).

The lesson's claims (issue 9): "kernel" is defined where it first appears, and the overflow numbers of the
softmax section are what numpy computes, shown by a cell of the lesson. The tiny network's 75% cat and its
training table are the library's, as stored. The lesson holds what the softmax exercise relies on; the statement
gives the idea and a worked number but not the formula, and every number it quotes is the one the code computes.
"""

import re

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    ROOT,
    cell_source,
    check_executed_once_cleanly,
    check_figures,
    check_widget_cells,
    code_cells,
    load,
    markdown_text,
    source,
    stored_text,
)

from nnbook import descent, losses
from nnbook.lessons import widgets
from nnbook.tools.cases import lesson_01

LESSON = COURSE / "01_training_is_optimisation.ipynb"
SOLUTION = ROOT / "solutions" / "01_training_is_optimisation.ipynb"


def stored():
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return stored_text(LESSON, skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


def markdown():
    return markdown_text(load(LESSON))


def test_kernel_is_defined_where_it_first_appears():
    cells = load(LESSON)["cells"]
    first = next(i for i, cell in enumerate(cells) if "kernel" in source(cell).lower())
    text = source(cells[first])
    assert cells[first]["cell_type"] == "markdown"
    assert "**kernel**" in text and "Keras" in text and "(1, 2)" in text
    assert "kernel" not in text.lower().split("**kernel**")[0]          # no use of the word before its definition


def test_the_largest_float_and_its_log_are_what_the_text_says():
    largest = np.finfo(float).max
    text = "\n".join(source(cell) for cell in load(LESSON)["cells"] if cell["cell_type"] == "markdown")
    assert f"{largest / 1e308:.1f} \\times 10^{{308}}" in text
    assert f"about {np.log(largest):.2f}" in text
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.0)) and not np.isfinite(np.exp(710.0))  # "above about 709.78" overflows
    stored = stored_text(LESSON)
    assert f"largest float: {largest:.4g}, its natural log: {np.log(largest):.2f}" in stored
    assert f"e^709 = {np.exp(709.0):.4g}" in stored


def test_the_plain_formula_gives_nan_for_a_score_of_1000():
    big = np.array([[1000.0, 0.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        plain = np.exp(big) / np.exp(big).sum(axis=1, keepdims=True)
    assert np.isnan(plain[0, 0]) and plain[0, 1] == 0.0
    assert f"plain softmax of the scores (1000, 0): ({plain[0, 0]}, {plain[0, 1]})" in stored_text(LESSON)
    # the cell shows the failure, not the answer of the lesson's softmax exercise
    overflow = next(cell for cell in code_cells(LESSON) if "np.finfo" in source(cell))
    assert ".max(axis" not in source(overflow) and "- big.max" not in source(overflow)


def test_tiny_network_says_75_percent_cat():
    scores = np.array([[1.0]]) @ np.array([[np.log(3), 0.0]])
    probabilities = np.exp(scores) / np.exp(scores).sum()
    assert probabilities[0] == pytest.approx([0.75, 0.25], abs=1e-12)
    assert widgets.tiny_net(widgets.TINY_NET_W_CAT) == pytest.approx([0.75, 0.25], abs=1e-12)


# ------------------------------------------------------------------------------------- the notebook as stored
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings():
    check_executed_once_cleanly(LESSON)


def test_widget_cells_ignore_output_and_a_static_cell_follows_them():
    check_widget_cells(LESSON)


def test_lessons_show_their_figures():
    check_figures(LESSON, 2)


def test_lesson01_shows_75_25_and_the_loss():
    text = stored()
    p_cat, p_dog = widgets.tiny_net(np.log(3))
    assert f"P(cat) = {p_cat:.0%}, P(dog) = {p_dog:.0%}" in text
    assert "P(cat) = 75%, P(dog) = 25%" in text
    assert widgets.tiny_net_report(np.log(3)) in text
    assert f"(75% cat): {losses.sse([1, 0], [p_cat, p_dog]):.4f}" in text
    assert f"(50% cat): {losses.sse([1, 0], widgets.tiny_net(0.0)):.4f}" in text


def test_lesson01_training_table_is_the_library_run():
    def loss(w):
        return losses.sse([1.0, 0.0], widgets.tiny_net(w))

    path = descent.gradient_descent(lambda w: descent.numerical_gradient(loss, w), 0.0, 2.0, 8)
    text = stored()
    for epoch, w in enumerate(path[1:], start=1):
        line = f"after epoch {epoch}: w_cat = {w:.3f}   P(cat) = {widgets.tiny_net(w)[0]:.1%}   loss = {loss(w):.4f}"
        assert line in text
    assert loss(path[-1]) < loss(path[0])
    # why a learning rate of 2.0 is safe here: the prose quotes the steepest slope and the largest step
    steepest = max(abs(descent.numerical_gradient(loss, w)) for w in np.linspace(-3, 3, 601))
    assert f"steepest slope of this loss for w_cat in [-3, 3]: {steepest:.4f}" in text
    assert f"never steeper than {steepest:.4f}" in markdown()
    assert f"by more than {2.0 * steepest:.4f}" in markdown()


# ------------------------------------------------------------------------------ the exercise: softmax
def test_lesson01_explains_softmax_per_row_and_why_the_row_max_is_subtracted():
    text = cell_source(LESSON, "softmax-in-code")
    assert "one row of scores per sample" in text and "that row's sum" in text
    assert "the row's largest score" in text and "cancels" in text
    # the numbers it quotes: the largest float, the first exponent that overflows, inf / inf
    assert round(np.finfo(float).max / 1e308, 1) == 1.8 and "1.8 \\times 10^{308}" in text
    quoted = re.search(r"above about (\d+\.(\d+))", text)
    assert float(quoted.group(1)) == round(float(np.log(np.finfo(float).max)), len(quoted.group(2)))
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isfinite(np.exp(709.7)) and np.exp(709.8) == np.inf and np.isnan(np.exp(710.0) / np.exp(710.0))
    # subtracting any constant from a row changes nothing, and the row max keeps every exponent <= 0
    z = np.array([[0.3, -1.2, 2.0], [5.0, 4.0, -3.0]])
    plain = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(lesson_01._reference(z - 17.0), plain, rtol=1e-12)
    np.testing.assert_allclose(lesson_01._reference(z), plain, rtol=1e-12)


def test_statements_and_stubs_give_the_idea_not_the_formula():
    notebook_helpers.check_statement_and_stub_give_no_formula(
        SOLUTION, "softmax-task", [".max(", "np.max", "largest", "keepdims", "axis", "np.exp(z", "sum("])


def test_the_softmax_statement_and_try_it_show_the_right_numbers():
    statement = cell_source(SOLUTION, "softmax-task")
    quoted = [float(x) for x in re.search(r"about (0\.\d+), (0\.\d+) and (0\.\d+)", statement).groups()]
    np.testing.assert_allclose(quoted, lesson_01._reference(np.array([[0.0, 1.0, 3.0]]))[0], atol=5e-4)
    np.testing.assert_allclose(lesson_01._reference(np.array([[1000.0, 1001.0, 1003.0]])),
                               lesson_01._reference(np.array([[0.0, 1.0, 3.0]])), rtol=1e-12)
    printed = stored_text(SOLUTION)
    assert "returned [[0.75, 0.25]]" in printed and "np.exp(1000) = inf" in printed
    assert "softmax: all 5 cases passed" in printed
