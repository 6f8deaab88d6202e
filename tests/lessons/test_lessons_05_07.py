"""The numbers lessons 05-07 rely on, computed here independently, and checked in each notebook.

Two kinds of test:

* the lesson's own code, run here (cells with live widgets or timings left out), must give the values the
  text claims, and agree with an independent computation (the engine, or a plain numpy formula);
* the notebook's *stored* outputs (its JSON) must show those deterministic numbers, so a lesson cannot
  keep printing a stale value after the code behind it changed.
"""

import contextlib
import functools
import io
import math
import re

import matplotlib

matplotlib.use("Agg")

import notebook_helpers  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, IGNORE, code_cells, markdown_text, run_code_cells, source  # noqa: E402

from nnbook.data import drug_trial, scale_ages  # noqa: E402
from nnbook.descent import numerical_gradient  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import SGD, Adam  # noqa: E402

LESSON_05 = COURSE / "05_backpropagation.ipynb"
LESSON_06 = COURSE / "06_training_loop.ipynb"
LESSON_07 = COURSE / "07_keras_style_training.ipynb"


def stored_text(path):
    """Everything the notebook's code cells print, as stored, joined (cells marked NBVAL_IGNORE_OUTPUT left
    out; figures' reprs left out; the closing quiz left out, its text is tests/lessons/test_quiz_cells.py's):
    it compares with what :func:`run_code_cells` prints."""
    return notebook_helpers.stored_text(path, skip=lambda text: IGNORE in text or "quiz.show(" in text,
                                        kinds=("stream", "execute_result"), sep="")


LESSONS = [LESSON_05, LESSON_06, LESSON_07]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_code_cell_is_stored_executed_in_order(path):
    # nbval skips cells without an execution count: a stripped count would silently turn off the comparison
    counts = [cell["execution_count"] for cell in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1))


# =============================================================================================== lesson 05
@pytest.fixture(scope="module")
def lesson05():
    return run_code_cells(LESSON_05)[:2]


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
    stored = stored_text(LESSON_05)
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


# =============================================================================================== lesson 06
@pytest.fixture(scope="module")
def lesson06():
    return run_code_cells(LESSON_06)[:2]


@functools.lru_cache(maxsize=None)
def sgd_reference(seed=0, epochs=20):
    """Lesson 06's run, by the engine: the same network and seed, plain SGD, lr 0.01, batches of 10."""
    trial = drug_trial(seed=0)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(trial.x, trial.labels, batch_size=10, epochs=epochs, verbose=0)


def test_lesson06_iterations_per_epoch():
    n = len(drug_trial(seed=0).x)
    assert n == 2100
    assert math.ceil(n / 10) == 210 and math.ceil(n / 32) == 66
    stored = stored_text(LESSON_06)
    for batch_size in (10, 32):
        iterations = -(-n // batch_size)                      # ceil by integer division
        last = n - (iterations - 1) * batch_size
        assert (f"batch size {batch_size:2d}: ceil({n} / {batch_size}) = {iterations} iterations per epoch, "
                f"the last batch holds {last} samples") in stored
    assert "ceil(2100 / 10) = 210" in stored and "ceil(2100 / 32) = 66" in stored and "holds 20 samples" in stored


def test_lesson06_loop_is_the_engines_fit_and_the_loss_falls(lesson06):
    ns, _ = lesson06
    reference = sgd_reference()
    np.testing.assert_allclose(ns["history"]["loss"], reference.history["loss"], rtol=0, atol=1e-12)
    assert ns["history"]["accuracy"] == reference.history["accuracy"]
    loss, accuracy = ns["history"]["loss"], ns["history"]["accuracy"]
    assert len(loss) == 20 and len(ns["batch_losses"]) == 20 * 210
    assert all(later < earlier for earlier, later in zip(loss[:10], loss[1:11]))     # falling
    assert loss[-1] < 0.5 * loss[0]
    assert accuracy[-1] > accuracy[0] + 0.2 and accuracy[-1] > 0.9


def test_lesson06_text_claims_about_the_finished_run(lesson06):
    ns, _ = lesson06
    accuracy = ns["history"]["accuracy"]
    assert accuracy[0] == pytest.approx(0.60, abs=0.02) and accuracy[-1] == pytest.approx(0.94, abs=0.005)
    # it cannot reach 100%: 100 of 2100 people are exceptions no rule of age can get right
    assert max(accuracy) <= 2000 / 2100
    # "up to about 55 the chance is low, from about 75 it is high, with a steep step around 65"
    p = ns["trainer"].predict(scale_ages([[13.0], [55.0], [65.0], [75.0], [100.0]]))[:, 1]
    assert p[0] < 0.1 and p[1] < 0.15 and 0.35 < p[2] < 0.65 and p[3] > 0.85 and p[4] > 0.95


def test_lesson06_one_iteration_lowers_that_batchs_loss(lesson06):
    ns, _ = lesson06
    trial = drug_trial(seed=0)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer=SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    x, y = trial.x[:10], trial.labels[:10]
    before = model.compute_gradients(x, y)[0]
    model.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=0)      # exactly one update
    after = model.compute_gradients(x, y)[0]
    assert ns["loss"] == pytest.approx(before, abs=1e-12) and ns["loss_after"] == pytest.approx(after, abs=1e-12)
    assert after < before
    assert f"loss on this batch before the update {before:.6f}, after {after:.6f}" in stored_text(LESSON_06)


def first_layers_model(learning_rate=0.01, seed=0):
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_lesson06_first_update_moves_only_weights_with_a_gradient(lesson06):
    ns, _ = lesson06
    stored = stored_text(LESSON_06)
    trial = drug_trial(seed=0)
    _, grads = first_layers_model().compute_gradients(trial.x[:10], trial.labels[:10])
    nonzero = [int(np.count_nonzero(k) + np.count_nonzero(b)) for k, b in zip(grads[0::2], grads[1::2])]
    assert ns["moved"] == nonzero and sum(nonzero) == 282 and 2 * sum(nonzero) < 642      # "fewer than half"
    assert f"weights moved per layer: {nonzero} of [32, 544, 66], 282 of 642 in all" in stored
    assert "hidden layer 1: 6 of 16 units off for everyone in the batch" in stored
    assert "hidden layer 2: 12 of 32 units off for everyone in the batch" in stored
    # the first layer's units with a negative weight and bias 0 are off for every age and never move
    kernel, bias = ns["before"][0]
    dead = (kernel[0] < 0) & (bias == 0)
    assert dead.sum() == 6 and "hidden layer 1, units with a negative weight and a bias of 0: 6" in stored
    trained = ns["layers"][0]                                             # after the 20-epoch loop
    np.testing.assert_array_equal(trained.kernel[:, dead], kernel[:, dead])
    np.testing.assert_array_equal(trained.bias[dead], 0.0)
    z = scale_ages(np.arange(13, 101, dtype=float).reshape(-1, 1)) @ trained.kernel + trained.bias
    assert np.all(z[:, dead] <= 0)


def test_lesson06_learning_rates(lesson06):
    ns, _ = lesson06
    stored = stored_text(LESSON_06)
    trial = drug_trial(seed=0)
    runs = {}
    for rate in (0.001, 0.01, 0.1, 1.0, 5.0):
        runs[rate] = first_layers_model(rate).fit(trial.x, trial.labels, batch_size=10, epochs=20,
                                                  verbose=0).history
        loss, accuracy = runs[rate]["loss"], runs[rate]["accuracy"]
        assert ns["rate_runs"][rate] == runs[rate]
        assert f"{rate!s:>13}   {loss[0]:8.4f} -> {loss[-1]:.4f}   {accuracy[-1]:18.4f}" in stored
    assert runs[0.01] == sgd_reference().history
    final = {rate: run["loss"][-1] for rate, run in runs.items()}
    assert final[0.001] > 2 * final[0.01]                                   # too small: far behind
    assert runs[0.1]["loss"][0] < runs[0.01]["loss"][0] and final[0.1] < final[0.01]   # 0.1 learns faster
    assert runs[1.0]["accuracy"][-1] > 0.9                                  # 1.0 still trains
    # 5.0: jumps to about 8, far above every other run, stays there, accuracy 0.5
    assert min(runs[5.0]["loss"]) > 7.5 and final[5.0] == pytest.approx(8, abs=0.1)
    assert min(runs[5.0]["loss"]) > 10 * max(run["loss"][0] for rate, run in runs.items() if rate != 5.0)
    assert runs[5.0]["accuracy"][-1] == 0.5


def test_lesson06_shuffling_example():
    grouped = drug_trial(seed=0, shuffle=False)
    assert grouped.labels[:60].sum() == 0                     # "the first batches are all label 0"
    stored = stored_text(LESSON_06)
    assert "grouped : ['0.0', '0.0', '0.0', '0.0', '0.0', '0.0']" in stored
    shuffled = grouped.labels[np.random.default_rng(1).permutation(len(grouped.labels))]
    shares = [f"{shuffled[i * 10:(i + 1) * 10].mean():.1f}" for i in range(6)]
    assert f"shuffled: {shares}" in stored


def test_lesson06_stored_outputs_show_the_computed_numbers(lesson06):
    _, printed = lesson06
    stored = stored_text(LESSON_06)
    assert stored == printed
    reference = sgd_reference()
    for epoch, (loss, accuracy) in enumerate(zip(reference.history["loss"], reference.history["accuracy"]), 1):
        assert f"epoch {epoch:2d}/20: 210 iterations, loss {loss:.4f}, accuracy {accuracy:.4f}" in stored
    assert "weights per layer: [32, 544, 66] total 642" in stored
    for claim in ("same loss every epoch: True", "same accuracy every epoch: True",
                  "LiveTraining gives the same losses as our loop: True", "fit made 210 iterations per epoch"):
        assert claim in stored


def test_lesson06_shows_the_finished_runs_figure():
    figures = [cell for cell in code_cells(LESSON_06) if "training_figure" in source(cell)]
    assert len(figures) == 1
    assert any("image/png" in output.get("data", {}) for output in figures[0]["outputs"])


# =============================================================================================== lesson 07
@pytest.fixture(scope="module")
def lesson07():
    # every cell but the Keras one, whose output depends on the machine (tested on its own below)
    return run_code_cells(LESSON_07, skip=("find_spec",))


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
    cells = [source(c) for c in code_cells(LESSON_07)]
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
    markdown = markdown_text(LESSON_07, sep="")
    assert "only the imports differ from Keras" in markdown
    assert "1ms/step" not in markdown and "s, ms or us" in markdown


def test_lesson07_summary_counts_642_weights(lesson07):
    ns, _, _ = lesson07
    assert ns["model"].count_params() == (1 * 16 + 16) + (16 * 32 + 32) + (32 * 2 + 2) == 642
    assert " Total params: 642 (5.02 KB)" in stored_text(LESSON_07)


def test_lesson07_run_ends_like_the_articles(lesson07):
    ns, _, _ = lesson07
    _, reference = source_model_run()
    assert ns["history"].history == reference.history             # reproducible to the last digit
    loss, accuracy = reference.history["loss"], reference.history["accuracy"]
    assert 0.26 <= loss[-1] <= 0.31 and 0.90 <= accuracy[-1] <= 0.95
    assert 0.60 <= loss[0] <= 0.72 and 0.40 <= accuracy[0] <= 0.65
    assert all(b < a for a, b in zip(loss, loss[1:]))               # the loss falls every epoch
    assert accuracy[-1] > accuracy[0] + 0.3 and max(accuracy) - accuracy[-1] < 0.01
    stored = stored_text(LESSON_07)
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
    fit_index = next(i for i, c in enumerate(code_cells(LESSON_07)) if "verbose=2" in source(c))
    check_log(by_cell[fit_index], ns["history"].history)                 # as it prints now
    stored_cell = code_cells(LESSON_07)[fit_index]                        # as stored (timings ignored by nbval)
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
            in stored_text(LESSON_07))


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
    stored = stored_text(LESSON_07)
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
    stored = stored_text(LESSON_07)
    assert f"softmax  {loss[0]:10.4f} -> {loss[-1]:.4f} {accuracy[0]:13.4f} -> {accuracy[-1]:.4f}" in stored
    assert "every row sums to one: True" in stored


def test_lesson07_stored_outputs_are_this_runs(lesson07):
    _, printed, _ = lesson07
    assert stored_text(LESSON_07) == printed


def test_lesson07_keras_cell_runs_keras_or_says_why_it_is_skipped(lesson07):
    import importlib.util

    ns, _, _ = lesson07
    cell = next(c for c in code_cells(LESSON_07) if "find_spec" in source(c))
    assert source(cell).startswith("# NBVAL_IGNORE_OUTPUT\n")
    stored = "".join("".join(o.get("text", "")) for o in cell["outputs"])
    assert stored.startswith("Skipped: Keras is not installed") or stored.startswith("Keras ")
    if importlib.util.find_spec("keras") is None:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source(cell), "keras cell", "exec"), dict(ns))
        assert printed.getvalue().startswith("Skipped: Keras is not installed here")
        assert "pip install keras" in printed.getvalue()
