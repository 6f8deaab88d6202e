"""Lesson 07's claims from issue 9, each recomputed here with the library and found in the notebook as stored.

The aside moved from lesson 05 (what dividing by the sum does to the loss's gradient), the frameworks that
differentiate for you, Adam's corrected ratio, and "the softmax version gets there a little sooner".
"""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, IGNORE, ROOT, cell_source, code_cells, load, run_code_cells, source, stored_text  # noqa: E402

from nnbook import activations  # noqa: E402
from nnbook.data import scale_ages  # noqa: E402
from nnbook.losses import SparseCategoricalCrossentropy  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402
from nnbook.tools.cases import lesson_07  # noqa: E402

LESSON = COURSE / "07_keras_style_training.ipynb"
SOLUTION = ROOT / "solutions" / "07_keras_style_training.ipynb"
#: The cells that are the source's Keras program (and the Keras comparison): kept exactly, in this order.
KERAS_CELLS = ["lesson07-02", "lesson07-03", "lesson07-05", "lesson07-07", "lesson07-23"]


@pytest.fixture(scope="module")
def lesson():
    namespace, _, _ = run_code_cells(LESSON, skip=("find_spec",))   # all but the Keras cell
    return namespace


def stored():
    return stored_text(LESSON, skip=lambda text: IGNORE in text or "quiz.show(" in text)


def prose():
    cells = [source(cell) for cell in load(LESSON)["cells"] if cell["cell_type"] == "markdown"]
    return " ".join(" ".join(cells).split())


def test_opens_with_what_you_will_learn_and_keeps_the_keras_cells_in_order():
    cells = load(LESSON)["cells"]
    assert "You will learn:" in source(cells[0])
    ids = [cell["id"] for cell in cells if cell["cell_type"] == "code"]
    assert [i for i in ids if i in KERAS_CELLS] == KERAS_CELLS
    assert "(../exercises/07_keras_style_training.ipynb)" in source(cells[-1])


def test_lesson_07_says_the_framework_differentiates_for_you():
    text = prose()
    for word in ("automatic differentiation", "TensorFlow", "PyTorch", "computation graph like lesson 05's"):
        assert word in text
    fit = next(i for i, cell in enumerate(code_cells(LESSON)) if "verbose=2" in source(cell))
    assert "backward" not in "".join(source(cell) for cell in code_cells(LESSON)[:fit + 1])   # "never wrote"


# ------------------------------------------------------------------- the aside moved here from lesson 05
def compiled_gradient(outputs, label):
    loss = SparseCategoricalCrossentropy()
    value = loss.forward(np.array([label]), outputs)
    return value, loss.backward()[0]


def test_dividing_by_the_sum_adds_one_over_s_to_every_entry_and_a_softmax_is_not_divided(lesson):
    out = stored()
    age_90 = scale_ages(np.array([[90.0]]))
    for name, model in [("sigmoid", lesson["model"]), ("softmax", lesson["softmax_model"])]:
        y = model.predict(age_90)
        S = y.sum()
        loss, gradient = compiled_gradient(y, 1)
        assert loss == pytest.approx(-np.log(y[0, 1] / S))
        lesson05 = np.array([0.0, -1 / y[0, 1]])                           # lesson 05's -1/a2[y]
        divided = np.array([1 / S, 1 / S - 1 / y[0, 1]])                   # the division's formula
        extra = gradient - lesson05
        assert f"{name}: outputs [{y[0, 0]:.4f}, {y[0, 1]:.4f}], sum S = {S:.4f}, loss {loss:.4f}" in out
        formula = "the division's [1/S, 1/S - 1/y'_1]" if name == "sigmoid" else "lesson 05's [0, -1/y'_1]"
        assert f"  compiled dL/dy' = [{gradient[0]:.4f}, {gradient[1]:.4f}]   equals {formula}: True" in out
        assert f"  minus lesson 05's [0, -1/y'_1]: [{extra[0]:.4f}, {extra[1]:.4f}]" in out
        if name == "softmax":
            # "nnbook's loss divides by nothing and its gradient is lesson 05's itself"
            assert S == pytest.approx(1.0) and np.array_equal(gradient, lesson05)
            # "Keras divides anyway, by S = 1, so there every entry is exactly 1 larger": and "the softmax's
            # backward step removes that constant", so delta2 is lesson 05's a2 - one_hot either way
            np.testing.assert_allclose(divided - lesson05, [1.0, 1.0], rtol=1e-12)
            softmax = activations.get("softmax")
            for upstream in (gradient, divided):
                np.testing.assert_allclose(softmax.backward(y, upstream[None, :]), y - [[0.0, 1.0]], atol=1e-12)
        else:
            np.testing.assert_allclose(gradient, divided, rtol=1e-12)
            np.testing.assert_allclose(extra, [1 / S, 1 / S], rtol=1e-12)
            assert abs(S - 1) > 0.4 and y[0, 1] < 0.6                          # "near one half" at 90
    text = prose()
    assert "every entry is exactly 1 larger than lesson 05's" in text
    assert "nnbook's loss divides by nothing and its gradient is lesson 05's itself" in text


def test_with_a_sigmoid_output_the_loss_sees_only_the_ratio(lesson):
    model = lesson["model"]
    y = model.predict(scale_ages(np.array([[90.0]])))
    halved, _ = compiled_gradient(y / 2, 1)
    assert halved == pytest.approx(compiled_gradient(y, 1)[0], rel=1e-12)
    assert f"sigmoid, both outputs halved: loss {halved:.4f}" in stored()
    assert "halve both and it does not move" in prose()


# ------------------------------------------------------------------------------------------------ Adam
def test_adams_corrected_ratio_is_one_for_a_steady_gradient_and_the_raw_ratio_is_not():
    # a steady gradient: every step is the learning rate (but for epsilon), from the first iteration on
    w, optimizer, steps = np.zeros(1), Adam(learning_rate=0.0001), []
    for _ in range(3000):
        before = w.copy()
        optimizer.update(w, np.array([0.5]))
        steps.append(float(before[0] - w[0]))
    np.testing.assert_allclose(steps, 0.0001, rtol=1e-5)
    # the uncorrected m / sqrt(v) for the same gradient: (1 - b1^t) / sqrt(1 - b2^t)
    def raw(t):
        return (1 - 0.9 ** t) / np.sqrt(1 - 0.999 ** t)
    assert raw(1) == pytest.approx(0.1 / np.sqrt(0.001)) and f"about {raw(1):.2f}" in prose()
    assert raw(1000) > 1.2 and raw(3000) < 1.03               # "only nears ±1 after a few thousand iterations"
    assert "the corrected ratio `m̂ / sqrt(v̂)` is about ±1" in prose()
    assert "`m / sqrt(v)` is about ±1" not in prose()


# -------------------------------------------------------------------------------- softmax gets there sooner
def test_the_softmax_version_gets_there_a_little_sooner(lesson):
    sigmoid, softmax = lesson["history"].history, lesson["softmax_history"].history
    assert all(s < g for s, g in zip(softmax["loss"], sigmoid["loss"]))          # lower at every epoch

    def first_above(accuracy, level=0.90):
        return next(epoch for epoch, value in enumerate(accuracy, 1) if value >= level)
    assert first_above(softmax["accuracy"]) < first_above(sigmoid["accuracy"])
    assert abs(softmax["accuracy"][-1] - sigmoid["accuracy"][-1]) < 0.01            # "about equally good"
    assert re.search(r"its loss is lower at every epoch, and its accuracy passes 0\.90 earlier", prose())


# ------------------------------------------------------------------------------ the exercise: adam_step
def test_lesson07_explains_the_bias_correction_and_the_papers_form():
    text = cell_source(LESSON, "lesson07-11-bias")
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


def test_statements_and_stubs_give_the_idea_not_the_formula():
    task, giveaways = "adam-task", ["sqrt", "** t", "^t", "m_hat", "1 - beta", "(1 -", "g**2", "g ** 2"]
    statement = cell_source(SOLUTION, task)
    exercise = load(ROOT / "exercises" / SOLUTION.name)
    stub = next(source(c) for c in exercise["cells"]
                if c["cell_type"] == "code" and "raise NotImplementedError" in source(c))
    for text in (statement, stub.split('"""')[1]):
        for formula in giveaways:
            assert formula not in text, formula
    assert f"(../course/{SOLUTION.name})" in statement                   # the derivation is one click away


def test_the_adam_statement_quotes_the_lessons_first_step():
    statement = cell_source(SOLUTION, "adam-task")
    g = np.array([20.0, 0.5, -0.001])
    w_new, m_new, v_new = lesson_07._adam(np.zeros(3), g, np.zeros(3), np.zeros(3), 1,
                                         **{**lesson_07.DEFAULTS, "learning_rate": 0.0001})
    assert "`m` holds (2, 0.05, −0.0001)" in statement and "`v` holds (0.4, 0.00025, 1e-9)" in statement
    np.testing.assert_allclose(m_new, [2, 0.05, -0.0001])
    np.testing.assert_allclose(v_new, [0.4, 0.00025, 1e-9])
    assert "w_new ≈ (−0.0001, −0.0001, 0.0001)" in statement
    np.testing.assert_allclose(w_new, [-0.0001, -0.0001, 0.0001], rtol=0.01)
    assert "factor of 20 000" in statement and g[0] / abs(g[2]) == 20000
    printed = stored_text(SOLUTION)
    assert "returned (0.99, 0.05, 0.00025)" in printed and "adam_step: all 5 cases passed" in printed

