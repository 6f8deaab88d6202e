"""Lesson 05 (backpropagation) and its exercises (numerical_gradient, the dense and relu pieces, the loss's
backward step).

The lesson's claims from issue 9, each recomputed here with the library and found in the notebook as stored:
part 1 defines each term before part 2 uses it, with a worked number; part 2 shows with numbers why
cross-entropy beats the squared error from a confident mistake, draws the computation graph from the lesson's
own numbers, and names the frameworks that backpropagate for you (the aside about the compiled loss's "+1" moved
to lesson 07). The lesson's own code, run here once (the lesson05 fixture, tests/conftest.py), gives the values
the text claims and agrees with the engine and with a plain numpy formula, and the stored outputs show exactly
what it prints. The exercise notebook: statements that derive instead of transcribe, worked numbers that are
right, the order the capstone of lesson 06 builds on, and the lesson's derivations those exercises point to.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from notebook_helpers import COURSE, IGNORE, ROOT, code_cells, compared_text, load, output_text, source, stored_text

from nnbook import activations, losses
from nnbook.data import drug_trial, scale_ages
from nnbook.descent import bowl_loss, numerical_gradient
from nnbook.layers import Dense
from nnbook.lessons import graph
from nnbook.models import Sequential
from nnbook.tools.cases import lesson_05

LESSON = COURSE / "05_backpropagation.ipynb"


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
def test_one_hidden_unit_worked_by_hand(lesson05):
    ns, _ = lesson05
    x, w, b = ns["x"][0, 0], ns["W1"][0, 0], ns["b1"][0]
    assert x == pytest.approx((70 - 13) / 87)
    z = x * w + b
    assert ns["z_unit1"] == z == pytest.approx(ns["z1"][0, 0])
    assert f"z = x · W1[0,0] + b1[0] = {x:.6f} × {w:.1f} + ({b:.1f}) = {z:.6f}" in stored()


def test_relu_switches_unit_1_on_and_unit_2_off_and_the_activation_is_what_bends_the_line(lesson05):
    ns, _ = lesson05
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


def test_partial_derivatives_of_one_unit(lesson05):
    ns, _ = lesson05
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


def test_the_numerical_partial_of_the_loss_is_the_number_step_6_derives(lesson05):
    ns, _ = lesson05
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
def test_the_graph_figures_are_drawn_from_the_lessons_own_numbers(lesson05):
    ns, _ = lesson05
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


# ------------------------------------------------------------------------- the lesson's code, run here
def test_every_code_cell_is_stored_executed_in_order():
    # nbval skips cells without an execution count: a stripped count would silently turn off the comparison
    counts = [cell["execution_count"] for cell in code_cells(LESSON)]
    assert counts == list(range(1, len(counts) + 1))


def chain_rule_by_formula(x, label, W1, b1, W2, b2):
    """Backpropagation for relu -> softmax + cross-entropy, written from the closed forms (one sample)."""
    z1 = x @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    a2 = np.exp(z2) / np.exp(z2).sum()
    delta2 = a2 - np.eye(2)[[label]]
    delta1 = delta2 @ W2.T * (z1 > 0)
    return -np.log(a2[0, label]), [x.T @ delta1, delta1[0], a1.T @ delta2, delta2[0]]


def test_lesson05_hand_derived_gradients_equal_compute_gradients(lesson05):
    ns, _ = lesson05
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=1)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.set_weights([ns["W1"], ns["b1"], ns["W2"], ns["b2"]])
    loss, grads = model.compute_gradients(ns["x"], [ns["label"]])
    assert ns["L"] == pytest.approx(loss, abs=1e-12)
    for by_hand, engine in zip([ns["nabla_W1"], ns["nabla_b1"], ns["nabla_W2"], ns["nabla_b2"]], grads):
        np.testing.assert_allclose(by_hand, engine, rtol=0, atol=1e-9)


def test_lesson05_steps_agree_with_the_closed_form_and_finite_differences(lesson05):
    ns, _ = lesson05
    x, label = ns["x"], ns["label"]
    loss, closed = chain_rule_by_formula(x, label, ns["W1"], ns["b1"], ns["W2"], ns["b2"])
    assert ns["L"] == pytest.approx(loss)
    np.testing.assert_allclose(ns["delta2"], ns["a2"] - np.eye(2)[[label]], atol=1e-12)
    for by_hand, expected in zip([ns["nabla_W1"], ns["nabla_b1"], ns["nabla_W2"], ns["nabla_b2"]], closed):
        np.testing.assert_allclose(by_hand, expected, atol=1e-12)
    flat = np.concatenate([w.ravel() for w in (ns["W1"], ns["b1"], ns["W2"], ns["b2"])])

    def loss_of(w):
        return chain_rule_by_formula(x, label, w[0:2].reshape(1, 2), w[2:4], w[4:8].reshape(2, 2), w[8:10])[0]
    np.testing.assert_allclose(np.concatenate([g.ravel() for g in closed]), numerical_gradient(loss_of, flat),
                               atol=1e-8)


def test_lesson05_example_has_one_unit_on_and_one_off(lesson05):
    # The text builds on this: unit 2 is off for a 70-year-old, so its weights get gradient 0.
    ns, _ = lesson05
    assert ns["x"][0, 0] == pytest.approx((70 - 13) / 87)
    assert ns["z1"][0, 0] > 0 > ns["z1"][0, 1]
    assert ns["nabla_W1"][0, 1] == 0 and ns["nabla_b1"][1] == 0
    assert np.all(ns["nabla_W2"][1] == 0) and np.all(ns["nabla_W2"][0] != 0)
    # "Nudge b1[1] up by 0.2 or more and the unit switches on"
    assert ns["z1"][0, 1] + 0.2 > 0 > ns["z1"][0, 1] + 0.1
    # "Left of about 0.46 ... hidden unit 1 switches off": z1[0] = x W1[0,0] + b1[0] = 0 there
    assert -ns["b1"][0] / ns["x"][0, 0] == pytest.approx(0.46, abs=0.005)


def test_lesson05_batch_gradient_check(lesson05):
    ns, _ = lesson05
    errors = ns["errors"]
    assert errors.shape == (10,) and errors.max() < 1e-6
    model = ns["model"]
    trial = drug_trial(seed=0)
    _, grads = model.compute_gradients(trial.x[:8], trial.labels[:8])
    np.testing.assert_allclose(ns["backprop"], np.concatenate([g.ravel() for g in grads]), rtol=0, atol=0)
    # the buggy backward pass is wrong exactly in the first layer
    assert np.all(ns["buggy_errors"][:4] > 1e-3) and np.all(ns["buggy_errors"][4:] < 1e-6)


def test_lesson05_stored_outputs_show_the_computed_numbers(lesson05):
    ns, printed = lesson05
    stored = compared_text(LESSON)
    assert stored == printed                      # every deterministic output, exactly as this run prints it
    L, p = ns["L"], ns["a2"][0, 1]
    assert f"L    = -log a2[1] = -log {p:.6f} = {L:.6f}" in stored
    assert stored.count("agree: True") == 8 and "agree: False" not in stored
    assert "layer.backward agrees with the six steps: True" in stored
    assert "compute_gradients agrees with the six steps: True" in stored
    assert "largest relative error below 1e-6: True" in stored
    # the per-parameter table: name, backprop, numerical, relative error, for every weight
    trial = drug_trial(seed=0)
    model = ns["model"]
    _, grads = model.compute_gradients(trial.x[:8], trial.labels[:8])
    for name, g in zip(ns["names"], np.concatenate([g.ravel() for g in grads])):
        assert re.search(rf"^{re.escape(name)} +{g:12.8f} +-?\d\.\d{{8}} +\d\.\de-\d\d$", stored, re.M), name
    # the nudge table: the ratio real/predicted tends to 1
    ratios = [float(r) for r in re.findall(r"^ +0\.\d+ +\S+ +\S+ +(\d\.\d{4})$", stored, re.M)]
    assert len(ratios) == 4 and ratios == sorted(ratios) and ratios[-1] > 0.999
    # the nudged weight's gradient is the W2[0,1] row of the one-person table after step 6
    g = ns["nabla_W2"][0, 1]
    assert f"{'W2[0,1]':8} {ns['W2'][0, 1]:8.4f} {g:10.6f}" in stored
    assert f"dL/dW2[0,1] = {g:.6f}, the same number as in the one-person table after step 6" in stored


# ================================================================================== the exercise notebook
SOLUTIONS = ROOT / "solutions" / "05_backpropagation.ipynb"
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


def test_lesson_05_holds_the_derivations_the_statements_point_to():
    markdown = "\n".join(markdown_cells())
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
    for cell in markdown_cells():
        if cell.startswith(("**At exactly z = 0**", "**Softmax and cross-entropy for a batch.**",
                            "**A dense layer for a batch, with shapes.**")):
            assert "(../exercises/05_backpropagation.ipynb)" in cell
    assert all(f"`{name}`" in markdown_cells()[-1] for name in ORDER)


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
