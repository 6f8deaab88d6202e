"""Lesson 07 (Keras-style training) and its exercise (adam_step).

The lesson's claims from issue 9, each recomputed here with the library and found in the notebook as stored:
the aside moved from lesson 05 (what dividing by the sum does to the loss's gradient), the frameworks that
differentiate for you, Adam's corrected ratio, and "the softmax version gets there a little sooner". The
lesson's own code, run here once (the lesson07 fixture, tests/conftest.py, every cell but the Keras one), is the
source's program on nnbook: its run, its log and its numbers are the engine's, and the stored outputs show
exactly what it prints. The lesson holds what the adam_step exercise relies on; the statement gives the idea and
a worked number but not the formula, and every number it quotes is the one the code computes.
"""

import contextlib
import functools
import io
import math
import re

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    IGNORE,
    ROOT,
    cell_source,
    code_cells,
    compared_text,
    load,
    markdown_text,
    source,
    stored_text,
)

from nnbook import activations
from nnbook.data import drug_trial, scale_ages
from nnbook.layers import Dense
from nnbook.losses import SparseCategoricalCrossentropy
from nnbook.models import Sequential
from nnbook.optimizers import SGD, Adam
from nnbook.tools.cases import lesson_07

LESSON = COURSE / "07_keras_style_training.ipynb"
SOLUTION = ROOT / "solutions" / "07_keras_style_training.ipynb"
#: The cells that are the source's Keras program (and the Keras comparison): kept exactly, in this order.
KERAS_CELLS = ["lesson07-02", "lesson07-03", "lesson07-05", "lesson07-07", "lesson07-23"]


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


def test_dividing_by_the_sum_adds_one_over_s_to_every_entry_and_a_softmax_is_not_divided(lesson07):
    ns, _, _ = lesson07
    out = stored()
    age_90 = scale_ages(np.array([[90.0]]))
    for name, model in [("sigmoid", ns["model"]), ("softmax", ns["softmax_model"])]:
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


def test_with_a_sigmoid_output_the_loss_sees_only_the_ratio(lesson07):
    ns, _, _ = lesson07
    model = ns["model"]
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
def test_the_softmax_version_gets_there_a_little_sooner(lesson07):
    ns, _, _ = lesson07
    sigmoid, softmax = ns["history"].history, ns["softmax_history"].history
    assert all(s < g for s, g in zip(softmax["loss"], sigmoid["loss"]))          # lower at every epoch

    def first_above(accuracy, level=0.90):
        return next(epoch for epoch, value in enumerate(accuracy, 1) if value >= level)
    assert first_above(softmax["accuracy"]) < first_above(sigmoid["accuracy"])
    assert abs(softmax["accuracy"][-1] - sigmoid["accuracy"][-1]) < 0.01            # "about equally good"
    assert re.search(r"its loss is lower at every epoch, and its accuracy passes 0\.90 earlier", prose())


# ------------------------------------------------------------------------- the lesson's code, run here
def test_every_code_cell_is_stored_executed_in_order():
    # nbval skips cells without an execution count: a stripped count would silently turn off the comparison
    counts = [cell["execution_count"] for cell in code_cells(LESSON)]
    assert counts == list(range(1, len(counts) + 1))


@functools.lru_cache(maxsize=None)
def source_model_run(output_activation="sigmoid", optimizer="adam", seed=0):
    """The source article's model and settings, on nnbook, seeded as the lesson seeds it (optimizer "adam"
    or "sgd", both with learning rate 0.0001). Cached: callers only read the model and history."""
    from nnbook.utils import set_random_seed

    trial = drug_trial(seed=0)
    set_random_seed(seed)
    model = Sequential([Dense(units=16, input_shape=(1,), activation="relu"), Dense(units=32, activation="relu"),
                        Dense(units=2, activation=output_activation)])
    optimizer = {"adam": Adam, "sgd": SGD}[optimizer](learning_rate=0.0001)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model, model.fit(x=trial.x, y=trial.labels, batch_size=10, epochs=20, shuffle=True, verbose=0)


def test_lesson07_uses_the_source_code_with_only_the_imports_changed():
    cells = [source(c) for c in code_cells(LESSON)]
    imports = cells[0]
    for line in ("from nnbook.models import Sequential", "from nnbook.layers import Dense",
                 "from nnbook.optimizers import Adam"):
        assert line in imports
    assert "Dense(units=2, activation='sigmoid')" in cells[1] and "model.summary()" in cells[1]
    assert "optimizer=Adam(learning_rate=0.0001)" in cells[2]
    assert "loss='sparse_categorical_crossentropy'" in cells[2] and "metrics=['accuracy']" in cells[2]
    fit = cells[3]
    for argument in ("x=x_train", "y=y_train", "batch_size=10", "epochs=20", "shuffle=True", "verbose=2"):
        assert argument in fit
    assert fit.startswith("# NBVAL_IGNORE_OUTPUT\n")
    # the calls are Keras's, the data's names and the comments are ours
    for cell in cells:
        assert "scaled_train_samples" not in cell and "train_labels" not in cell
    markdown = markdown_text(LESSON, sep="")
    assert "only the imports differ from Keras" in markdown
    assert "1ms/step" not in markdown and "s, ms or us" in markdown


def test_lesson07_summary_counts_642_weights(lesson07):
    ns, _, _ = lesson07
    assert ns["model"].count_params() == (1 * 16 + 16) + (16 * 32 + 32) + (32 * 2 + 2) == 642
    assert " Total params: 642 (5.02 KB)" in compared_text(LESSON)


def test_lesson07_run_ends_like_the_articles(lesson07):
    ns, _, _ = lesson07
    _, reference = source_model_run()
    assert ns["history"].history == reference.history             # reproducible to the last digit
    loss, accuracy = reference.history["loss"], reference.history["accuracy"]
    assert 0.26 <= loss[-1] <= 0.31 and 0.90 <= accuracy[-1] <= 0.95
    assert 0.60 <= loss[0] <= 0.72 and 0.40 <= accuracy[0] <= 0.65
    assert all(b < a for a, b in zip(loss, loss[1:]))               # the loss falls every epoch
    assert accuracy[-1] > accuracy[0] + 0.3 and max(accuracy) - accuracy[-1] < 0.01
    stored = compared_text(LESSON)
    assert f"loss:     epoch 1 {loss[0]:.4f} -> epoch 20 {loss[-1]:.4f}" in stored
    assert f"accuracy: epoch 1 {accuracy[0]:.4f} -> epoch 20 {accuracy[-1]:.4f}" in stored
    assert "210 iterations per epoch, 20 epochs" in stored
    # the summary's "falls from about 0.67 to 0.28 and rises from about 0.53 to 0.93"
    assert round(loss[0], 2) == 0.67 and round(loss[-1], 2) == 0.28
    assert round(accuracy[0], 2) == 0.53 and round(accuracy[-1], 2) == 0.93


LOG_LINE = re.compile(r"^210/210 - \d+s - \d+(?:us|ms|s)/step - accuracy: (\d\.\d{4}) - loss: (\d\.\d{4})$")


def check_log(text, history):
    lines = text.strip().splitlines()
    assert len(lines) == 40
    for epoch in range(20):
        assert lines[2 * epoch] == f"Epoch {epoch + 1}/20"
        match = LOG_LINE.match(lines[2 * epoch + 1])
        assert match, lines[2 * epoch + 1]
        assert match.group(1) == f"{history['accuracy'][epoch]:.4f}"
        assert match.group(2) == f"{history['loss'][epoch]:.4f}"


def test_lesson07_verbose2_log_has_keras_shape_and_the_historys_numbers(lesson07):
    ns, _, by_cell = lesson07
    fit_index = next(i for i, c in enumerate(code_cells(LESSON)) if "verbose=2" in source(c))
    check_log(by_cell[fit_index], ns["history"].history)                 # as it prints now
    stored_cell = code_cells(LESSON)[fit_index]                        # as stored (timings ignored by nbval)
    stored_log = "".join("".join(o["text"]) for o in stored_cell["outputs"] if o["output_type"] == "stream")
    check_log(stored_log, source_model_run()[1].history)


def test_lesson07_adam_step_and_adam_against_sgd(lesson07):
    ns, _, _ = lesson07
    g = ns["g"]
    m, v = 0.1 * g, 0.001 * g**2
    alpha = 0.0001 * math.sqrt(0.001) / 0.1
    np.testing.assert_allclose(ns["w_adam"], -alpha * m / (np.sqrt(v) + 1e-7), rtol=1e-12)
    np.testing.assert_allclose(np.abs(ns["w_adam"]), 1e-4, rtol=0.01)     # "all about 0.0001"
    np.testing.assert_allclose(ns["w_sgd"], -0.0001 * g)
    _, sgd = source_model_run(optimizer="sgd")
    assert ns["sgd_history"].history == sgd.history
    assert sgd.history["loss"][0] - sgd.history["loss"][-1] < 0.05            # "barely moves"
    adam = ns["history"].history
    assert adam["loss"][0] - adam["loss"][-1] > 0.3
    assert (f"SGD(learning_rate=0.0001) : loss {sgd.history['loss'][0]:.4f} -> {sgd.history['loss'][-1]:.4f}"
            in compared_text(LESSON))


def test_lesson07_adam_steps_shrink_late_in_training():
    # "Late in training, Adam's steps are well below the learning rate": mean |dw| per update, in learning rates
    from nnbook.utils import set_random_seed

    trial = drug_trial(seed=0)
    set_random_seed(0)
    model = Sequential([Dense(units=16, input_shape=(1,), activation="relu"), Dense(units=32, activation="relu"),
                        Dense(units=2, activation="sigmoid")])
    model.compile(optimizer=Adam(learning_rate=0.0001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    steps, update = [], model.optimizer.update

    def recording_update(weights, gradients):
        before = np.concatenate([w.ravel() for w in weights])
        update(weights, gradients)
        steps.append(np.mean(np.abs(np.concatenate([w.ravel() for w in weights]) - before)) / 0.0001)
    model.optimizer.update = recording_update
    history = model.fit(x=trial.x, y=trial.labels, batch_size=10, epochs=20, shuffle=True, verbose=0)
    assert history.history == source_model_run()[1].history                # the lesson's run
    per_epoch = np.array(steps).reshape(20, 210).mean(axis=1)
    assert per_epoch.max() > 0.25 and per_epoch[-1] < 0.15 and per_epoch[-1] < 0.5 * per_epoch.max()


def test_lesson07_sigmoid_trap(lesson07):
    ns, _, _ = lesson07
    model, _ = source_model_run()
    ages = ns["ages"]
    outputs = model.predict(scale_ages(ages).reshape(-1, 1))
    np.testing.assert_array_equal(ns["outputs"], outputs)
    sums = outputs.sum(axis=1)
    assert np.max(np.abs(sums - 1)) > 0.2                                 # "do not sum to one"
    at_90 = list(ages).index(90)
    assert outputs[at_90, 1] < 0.6 < 0.9 < outputs[at_90, 1] / sums[at_90]  # "about one half" at 90
    # the TensorFlow column: softmax of the output layer's values before the sigmoid
    z = np.log(outputs / (1 - outputs))                                   # the sigmoid's inverse
    tf = np.exp(z[:, 1]) / np.exp(z).sum(axis=1)
    np.testing.assert_allclose(ns["softmax"](ns["z"])[:, 1], tf, rtol=1e-9)
    stored = compared_text(LESSON)
    for age, (o0, o1) in zip(ages, outputs):
        assert f"{age:4d}   {o0:8.4f}   {o1:8.4f}   {o0 + o1:6.4f}" in stored
    assert "sigmoid outputs match predict: True" in stored


def test_lesson07_softmax_version(lesson07):
    ns, _, _ = lesson07
    model, history = source_model_run("softmax")
    assert ns["softmax_history"].history == history.history
    loss, accuracy = history.history["loss"], history.history["accuracy"]
    assert 0.26 <= loss[-1] <= 0.31 and 0.90 <= accuracy[-1] <= 0.95 and loss[-1] < loss[0]
    probabilities = model.predict(scale_ages(ns["ages"]).reshape(-1, 1))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    stored = compared_text(LESSON)
    assert f"softmax  {loss[0]:10.4f} -> {loss[-1]:.4f} {accuracy[0]:13.4f} -> {accuracy[-1]:.4f}" in stored
    assert "every row sums to one: True" in stored


def test_lesson07_stored_outputs_are_this_runs(lesson07):
    _, printed, _ = lesson07
    assert compared_text(LESSON) == printed


def test_lesson07_keras_cell_runs_keras_or_says_why_it_is_skipped(lesson07):
    import importlib.util

    ns, _, _ = lesson07
    cell = next(c for c in code_cells(LESSON) if "find_spec" in source(c))
    assert source(cell).startswith("# NBVAL_IGNORE_OUTPUT\n")
    stored = "".join("".join(o.get("text", "")) for o in cell["outputs"])
    assert stored.startswith("Skipped: Keras is not installed") or stored.startswith("Keras ")
    if importlib.util.find_spec("keras") is None:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source(cell), "keras cell", "exec"), dict(ns))
        assert printed.getvalue().startswith("Skipped: Keras is not installed here")
        assert "pip install keras" in printed.getvalue()


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
    notebook_helpers.check_statement_and_stub_give_no_formula(
        SOLUTION, "adam-task", ["sqrt", "** t", "^t", "m_hat", "1 - beta", "(1 -", "g**2", "g ** 2"])


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
