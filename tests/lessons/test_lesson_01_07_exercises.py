"""Lessons 01 and 07 and their exercise notebooks (softmax, adam_step): the lessons hold what the exercises
rely on, the statements give the idea and a worked number but not the formula, and every number they quote
is the one the code computes."""

import re

import numpy as np
import pytest
from notebook_helpers import COURSE, ROOT, load, source, stored_text

from nnbook.optimizers import Adam
from nnbook.tools.cases import lesson_01, lesson_07

LESSON_01 = COURSE / "01_training_is_optimisation.ipynb"
LESSON_07 = COURSE / "07_keras_style_training.ipynb"
SOLUTION_01 = ROOT / "solutions" / "01_training_is_optimisation.ipynb"
SOLUTION_07 = ROOT / "solutions" / "07_keras_style_training.ipynb"


def cell(path, cell_id) -> str:
    return source(next(c for c in load(path)["cells"] if c["id"] == cell_id))


def test_lesson01_explains_softmax_per_row_and_why_the_row_max_is_subtracted():
    text = cell(LESSON_01, "softmax-in-code")
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


def test_lesson07_explains_the_bias_correction_and_the_papers_form():
    text = cell(LESSON_07, "lesson07-11-bias")
    for words in ("bias correction", "m̂ = m / (1 - β1^t)", "v̂ = v / (1 - β2^t)", "sqrt(v̂) + ε", "0.1 g",
                  "0.001 g²"):
        assert words in text
    g = np.array([0.7, -2.0])
    _, m, v = lesson_07._adam(np.zeros(2), g, np.zeros(2), np.zeros(2), 1, **lesson_07.DEFAULTS)
    np.testing.assert_allclose(m, 0.1 * g)
    np.testing.assert_allclose(v, 0.001 * g ** 2)
    np.testing.assert_allclose(m / (1 - 0.9), g)                        # "0.1 g / 0.1 = g"
    # "The two forms differ only in where epsilon sits": with epsilon ~0 the paper's form is nnbook's Adam
    optimizer, library = Adam(learning_rate=0.01, epsilon=1e-300), np.array([1.0, -0.5, 2.0])
    w, m, v = library.copy(), np.zeros(3), np.zeros(3)
    for t in range(1, 8):
        gradient = np.array([0.3, -1.0, 4.0]) * t
        optimizer.update(library, gradient)
        m = 0.9 * m + 0.1 * gradient
        v = 0.999 * v + 0.001 * gradient ** 2
        w = w - 0.01 * (m / (1 - 0.9 ** t)) / np.sqrt(v / (1 - 0.999 ** t))
        np.testing.assert_allclose(w, library, rtol=1e-13)


STATEMENT_GIVEAWAYS = {
    SOLUTION_01: ("softmax-task", [".max(", "np.max", "largest", "keepdims", "axis", "np.exp(z", "sum("]),
    SOLUTION_07: ("adam-task", ["sqrt", "** t", "^t", "m_hat", "1 - beta", "(1 -", "g**2", "g ** 2"]),
}


@pytest.mark.parametrize("path", STATEMENT_GIVEAWAYS, ids=lambda p: p.stem)
def test_statements_and_stubs_give_the_idea_not_the_formula(path):
    task, giveaways = STATEMENT_GIVEAWAYS[path]
    statement = cell(path, task)
    exercise = load(ROOT / "exercises" / path.name)
    stub = next(source(c) for c in exercise["cells"]
                if c["cell_type"] == "code" and "raise NotImplementedError" in source(c))
    for text in (statement, stub.split('"""')[1]):
        for formula in giveaways:
            assert formula not in text, formula
    assert f"(../course/{path.name})" in statement                      # the derivation is one click away


def test_the_softmax_statement_and_try_it_show_the_right_numbers():
    statement = cell(SOLUTION_01, "softmax-task")
    quoted = [float(x) for x in re.search(r"about (0\.\d+), (0\.\d+) and (0\.\d+)", statement).groups()]
    np.testing.assert_allclose(quoted, lesson_01._reference(np.array([[0.0, 1.0, 3.0]]))[0], atol=5e-4)
    np.testing.assert_allclose(lesson_01._reference(np.array([[1000.0, 1001.0, 1003.0]])),
                               lesson_01._reference(np.array([[0.0, 1.0, 3.0]])), rtol=1e-12)
    printed = stored_text(SOLUTION_01)
    assert "returned [[0.75, 0.25]]" in printed and "np.exp(1000) = inf" in printed
    assert "softmax: all 5 cases passed" in printed


def test_the_adam_statement_quotes_the_lessons_first_step():
    statement = cell(SOLUTION_07, "adam-task")
    g = np.array([20.0, 0.5, -0.001])
    w_new, m_new, v_new = lesson_07._adam(np.zeros(3), g, np.zeros(3), np.zeros(3), 1,
                                         **{**lesson_07.DEFAULTS, "learning_rate": 0.0001})
    assert "`m` holds (2, 0.05, −0.0001)" in statement and "`v` holds (0.4, 0.00025, 1e-9)" in statement
    np.testing.assert_allclose(m_new, [2, 0.05, -0.0001])
    np.testing.assert_allclose(v_new, [0.4, 0.00025, 1e-9])
    assert "w_new ≈ (−0.0001, −0.0001, 0.0001)" in statement
    np.testing.assert_allclose(w_new, [-0.0001, -0.0001, 0.0001], rtol=0.01)
    assert "factor of 20 000" in statement and g[0] / abs(g[2]) == 20000
    printed = stored_text(SOLUTION_07)
    assert "returned (0.99, 0.05, 0.00025)" in printed and "adam_step: all 5 cases passed" in printed
