"""Lesson 01's claims (issue 9): "kernel" is defined where it first appears, and the overflow numbers of the
softmax section are what numpy computes, shown by a cell of the lesson."""

import numpy as np
from notebook_helpers import COURSE, code_cells, load, source, stored_text

LESSON = COURSE / "01_training_is_optimisation.ipynb"


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
