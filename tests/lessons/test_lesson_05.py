"""Lesson 05's claims from issue 9, each recomputed here with the library and found in the notebook as stored.

Part 1 defines each term before part 2 uses it, with a worked number; part 2 shows with numbers why cross-entropy
beats the squared error from a confident mistake, draws the computation graph from the lesson's own numbers, and
names the frameworks that backpropagate for you. The aside about the compiled loss's "+1" moved to lesson 07.
"""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, IGNORE, code_cells, load, run_code_cells, source, stored_text  # noqa: E402

from nnbook import activations, losses  # noqa: E402
from nnbook.data import scale_ages  # noqa: E402
from nnbook.descent import numerical_gradient  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import graph  # noqa: E402
from nnbook.models import Sequential  # noqa: E402

LESSON = COURSE / "05_backpropagation.ipynb"


@pytest.fixture(scope="module")
def lesson():
    namespace, _, by_cell = run_code_cells(LESSON)
    return namespace, by_cell


def stored():
    return stored_text(LESSON, skip=lambda text: IGNORE in text or "quiz.show(" in text)


def markdown_cells():
    return [source(cell) for cell in load(LESSON)["cells"] if cell["cell_type"] == "markdown"]


def prose(text):
    """A markdown cell without its fenced code blocks (the network's sketch), whitespace made single."""
    return " ".join(re.sub(r"```.*?```", " ", text, flags=re.S).split())


def cell_id_index(cell_id):
    return [cell["id"] for cell in load(LESSON)["cells"]].index(cell_id)


def lesson_model(ns):
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=2)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.set_weights([ns["W1"], ns["b1"], ns["W2"], ns["b2"]])
    return model


# ------------------------------------------------------------------------------------- the two-step ramp
#: (a term, the words that define it): the definition comes in the first cell that uses the term, or before.
DEFINED = [("unit", "**units**"), ("hidden layer", "**hidden layer**"), ("weight", "**weight**"),
           ("bias", "**bias**"), ("kernel", "**kernel**"), ("activation", "**activation function**"),
           ("relu", "**ReLU**"), ("cross-entropy", "**cross-entropy**"),
           ("partial derivative", "**partial derivative**"), ("gradient", "The **gradient** is"),
           ("chain rule", "The **chain rule**"), ("delta", "`delta2` and `delta1` the gradients at each layer's `z`"),
           ("jacobian", "the *Jacobian*"), ("automatic differentiation", "**automatic differentiation**"),
           ("computation graph", "**computation graph**")]


@pytest.mark.parametrize("term, definition", DEFINED, ids=[term for term, _ in DEFINED])
def test_each_term_is_defined_before_it_is_used(term, definition):
    cells = [prose(text) for text in markdown_cells()[1:]]         # the opening only lists what is coming
    defined_in = [i for i, text in enumerate(cells) if " ".join(definition.split()) in text]
    assert len(defined_in) == 1, (term, defined_in)
    first_use = next(i for i, text in enumerate(cells) if re.search(rf"\b{re.escape(term)}", text, re.I))
    assert defined_in[0] <= first_use, f"{term!r} is used in markdown cell {first_use + 1} before its definition"


def test_the_lesson_comes_in_two_parts_anatomy_first():
    text = "\n".join(markdown_cells())
    assert "You will learn" in markdown_cells()[0] or "you will learn" in markdown_cells()[0]
    part1, part2, step1 = (text.index(mark) for mark in ("## Part 1 · Inside a dense layer",
                                                         "## Part 2 · Backpropagation", "#### Step 1"))
    assert part1 < text.index("### Partial derivatives and the gradient") < part2 < step1


# ---------------------------------------------------------------------------------- part 1, worked numbers
def test_one_hidden_unit_worked_by_hand(lesson):
    ns, _ = lesson
    x, w, b = ns["x"][0, 0], ns["W1"][0, 0], ns["b1"][0]
    assert x == pytest.approx((70 - 13) / 87)
    z = x * w + b
    assert ns["z_unit1"] == z == pytest.approx(ns["z1"][0, 0])
    assert f"z = x · W1[0,0] + b1[0] = {x:.6f} × {w:.1f} + ({b:.1f}) = {z:.6f}" in stored()


def test_relu_switches_unit_1_on_and_unit_2_off_and_the_activation_is_what_bends_the_line(lesson):
    ns, _ = lesson
    z = scale_ages([[70.0]]) @ ns["W1"] + ns["b1"]
    out = stored()
    assert z[0, 0] > 0 > z[0, 1]
    assert f"hidden unit 1: z = {z[0, 0]:9.6f}, relu(z) = {z[0, 0]:.6f}, on" in out
    assert f"hidden unit 2: z = {z[0, 1]:9.6f}, relu(z) = 0.000000, off" in out
    # without an activation two layers are one affine map; with the ReLU the lesson's network is not one
    xs = np.linspace(0, 1, 41).reshape(-1, 1)
    W1, b1, W2, b2 = ns["W1"], ns["b1"], ns["W2"], ns["b2"]
    assert np.allclose((xs @ W1 + b1) @ W2 + b2, xs @ (W1 @ W2) + (b1 @ W2 + b2))
    assert "two layers without an activation = one layer with W1 W2 and b1 W2 + b2: True" in out
    bent = np.maximum(xs @ W1 + b1, 0) @ W2 + b2
    design = np.hstack([xs, np.ones_like(xs)])
    residual = bent - design @ np.linalg.lstsq(design, bent, rcond=None)[0]
    assert np.abs(residual).max() > 1e-2


def test_partial_derivatives_of_one_unit(lesson):
    ns, _ = lesson
    x = ns["x"][0, 0]
    assert numerical_gradient(lambda w: x * w + ns["b1"][0], ns["W1"][0, 0]) == pytest.approx(x)
    assert numerical_gradient(lambda b: x * ns["W1"][0, 0] + b, ns["b1"][0]) == pytest.approx(1.0)
    out = stored()
    assert f"∂z/∂w ≈ {x:.6f}   (x = {x:.6f})" in out and "∂z/∂b ≈ 1.000000" in out
    text = prose("\n".join(markdown_cells()))
    assert f"∂z / ∂w = x = {x:.3f}" in text.replace("$", "").replace("\\partial ", "∂").replace("\\,", " ")
    assert f"= ({x:.3f}, 1)" in text.replace("$", "")
    # the chain-rule example: d a1[0] / d W1[0,0] = relu'(z) x = x, as unit 1 is on
    chain = numerical_gradient(lambda w: max(x * w + ns["b1"][0], 0.0), ns["W1"][0, 0])
    assert chain == pytest.approx(x) and f"1 \\times {x:.3f} = {x:.3f}" in text


def test_the_numerical_partial_of_the_loss_is_the_number_step_6_derives(lesson):
    ns, _ = lesson
    _, grads = lesson_model(ns).compute_gradients(ns["x"], [ns["label"]])
    value = grads[0][0, 0]
    assert value < 0 and value == pytest.approx(ns["nabla_W1"][0, 0], abs=1e-12)
    out = stored()
    assert f"∂L/∂W1[0,0] ≈ {value:.6f}" in out
    assert f"by hand   = [[{value:.6f}  0.000000]]" in out             # step 6's table
    assert "step 6 below finds this same number" in prose("\n".join(markdown_cells()))


# ------------------------------------------------------------------------- cross-entropy vs squared error
def score_gradients(p_true):
    """dL/dz of the true class (class 1) at scores whose softmax gives it p_true, by finite differences of the
    library's losses: (cross-entropy, the course's squared error)."""
    softmax = activations.get("softmax").forward
    z = np.log([[1 - p_true, p_true]])

    def crossentropy(scores):
        return float(losses.sparse_categorical_crossentropy([1], softmax(scores))[0])

    def squared(scores):
        return float(losses.sse(np.array([0.0, 1.0]), softmax(scores)[0]))

    return numerical_gradient(crossentropy, z)[0, 1], numerical_gradient(squared, z)[0, 1]


def test_cross_entropy_pushes_a_confident_mistake_about_25_times_harder():
    out = stored()
    for p_true in (0.01, 0.1, 0.5, 0.9):
        ce, se = score_gradients(p_true)
        assert ce == pytest.approx(p_true - 1, abs=1e-8) and se < 0
        assert f"{p_true:7.2f} {ce:14.4f} {se:14.4f} {ce / se:6.1f}" in out
    ce, se = score_gradients(0.01)
    assert round(ce / se) == 25
    assert f"numerical check at p(true) = 0.01: {ce:.4f} and {se:.4f}" in out
    assert f"= 0.99 × 0.01 = {0.99 * 0.01:.4f}" in out
    text = prose("\n".join(markdown_cells()))
    assert "cross-entropy pushes about 25 times harder" in text
    assert "about 25 times harder" in prose(markdown_cells()[-1])                 # the summary
    ce, se = score_gradients(0.5)
    assert ce == pytest.approx(se, abs=1e-8) and "At p(true) = 0.5 the two happen to agree" in text
    # "hardly harder than a nearly right answer": the squared error's push at 0.01 is within 10% of its push at
    # 0.9, and a tenth of its push at 0.5
    wrong, right, middle = (abs(score_gradients(p)[1]) for p in (0.01, 0.9, 0.5))
    assert right < wrong < 1.1 * right and wrong < 0.1 * middle
    assert "pushes a confident mistake hardly harder than a nearly right answer (p(true) = 0.9)" in text


# ----------------------------------------------------------------------------------- the computation graph
def test_the_graph_figures_are_drawn_from_the_lessons_own_numbers(lesson):
    ns, _ = lesson
    cells = code_cells(LESSON)
    drawing = [i for i, cell in enumerate(cells) if "graph.computation_graph(" in source(cell)]
    assert len(drawing) == 2
    for i in drawing:
        assert any("image/png" in output.get("data", {}) for output in cells[i]["outputs"])
    step6 = next(i for i, cell in enumerate(cells) if 'check("dL/dW1"' in source(cell))
    assert drawing[0] < step6 < drawing[1]                       # the forward graph first, the full one after
    for name in ("x", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "a2", "L"):
        assert ns["values"][name] is ns[name]
    for name, by_hand in [("a2", "grad_a2"), ("z2", "delta2"), ("W2", "nabla_W2"), ("b2", "nabla_b2"),
                          ("a1", "grad_a1"), ("z1", "delta1"), ("W1", "nabla_W1"), ("b1", "nabla_b1")]:
        assert ns["gradients"][name] is ns[by_hand]
    fig = graph.computation_graph(ns["values"], ns["gradients"])
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    _, grads = lesson_model(ns).compute_gradients(ns["x"], [ns["label"]])
    assert texts["value:L"] == f"L\n{ns['L']:.3f}"
    assert texts["gradient:W1"] == f"∂L/∂W1\n{graph.format_number(grads[0])}"
    assert texts["gradient:b2"] == f"∂L/∂b2\n{graph.format_number(grads[3])}"


# ------------------------------------------------------------------------ frameworks; the aside moved out
def test_lesson_05_says_frameworks_backpropagate_for_you():
    text = prose("\n".join(markdown_cells()))
    for word in ("TensorFlow", "Keras", "PyTorch", "automatic differentiation"):
        assert word in text
    assert cell_id_index("lesson05-frameworks") > cell_id_index("lesson05-25")   # after compute_gradients


def test_the_compiled_loss_aside_has_left_lesson_05():
    text = prose("\n".join(markdown_cells()))
    assert "larger by 1" not in text and "1 larger" not in text
    assert "divides the outputs by their sum" not in text
