"""Lesson 06 (the training loop) and its capstone exercise (train_epoch).

The lesson's claims (issue 9): the training loop drawn as a diagram with the run's numbers, the loss and accuracy
curves drawn once, and the numbers the text around them rests on. The lesson's own code, run here once (the
lesson06 fixture, tests/conftest.py), is the engine's fit and gives the values the text claims, and the stored
outputs show exactly what it prints.

The capstone: train_epoch built from the learner's own functions, its check, and the solution notebook that
trains the drug-trial network with it. The check must pass the solution's train_epoch and an independent one,
reject each named mistake on every run with its hint, refuse code that calls nnbook's engine, and name the step
that went wrong.
"""

from __future__ import annotations

import functools
import math
import re
import types

import matplotlib.pyplot as plt
import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with
from notebook_helpers import COURSE, ROOT, code_cells, compared_text, load, markdown_text, source, stored_text

from nnbook import checks
from nnbook.data import drug_trial, scale_ages
from nnbook.layers import Dense
from nnbook.lessons import diagrams
from nnbook.lessons import training_widgets as tw
from nnbook.models import Sequential
from nnbook.optimizers import SGD
from nnbook.tools.reuse import functions_from

LESSON = COURSE / "06_training_loop.ipynb"


def pictures():
    return [cell for cell in code_cells(LESSON)
            if any("image/png" in output.get("data", {}) for output in cell["outputs"])]


def test_the_loop_diagram_is_drawn_with_the_runs_numbers():
    (cell,) = [cell for cell in pictures() if "training_loop_diagram" in source(cell)]
    assert "samples=n, batch_size=batch_size, learning_rate=learning_rate" in source(cell)
    n = len(drug_trial(seed=0).x)
    fig = diagrams.training_loop_diagram(samples=n, batch_size=10, learning_rate=0.01)
    texts = {text.get_gid(): text.get_text() for text in fig.axes[0].texts}
    assert f"{n} samples" in texts["detail:data"] and f"({math.ceil(n / 10)} per epoch)" in texts["label:update->batch"]
    plt.close(fig)


def test_the_loss_and_accuracy_curves_are_drawn_once():
    drawn = pictures()
    assert len(drawn) == 2                                   # the diagram and the finished run's figure
    assert sum("training_figure" in source(cell) for cell in drawn) == 1
    assert not any("plt.subplots" in source(cell) for cell in code_cells(LESSON))


def test_the_faint_line_is_a_running_mean_over_a_tenth_of_an_epoch():
    trial = drug_trial(seed=0)
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=0, learning_rate=0.01, batch_size=10)
    trainer.run(1)
    window = trainer.iterations_per_epoch // 10
    fig = tw.training_figure(trainer, max_epochs=20)
    assert any(f"mean of {window}" in line.get_label() for line in fig.axes[0].get_lines())
    plt.close(fig)
    assert window == 21 and trainer.iterations_per_epoch == 210
    assert (f"running mean over {window} batches (a tenth of an\nepoch)" in markdown_text(load(LESSON))
            or f"running mean over {window} batches (a tenth of an epoch)" in markdown_text(load(LESSON)))


def test_grouped_the_first_100_batches_hold_only_label_0():
    grouped = drug_trial(seed=0, shuffle=False)
    assert grouped.labels[:100 * 10].sum() == 0 and grouped.labels[100 * 10] == 1
    assert "the first 100 iterations would all say" in markdown_text(load(LESSON))


# ------------------------------------------------------------------------- the lesson's code, run here
def test_every_code_cell_is_stored_executed_in_order():
    # nbval skips cells without an execution count: a stripped count would silently turn off the comparison
    counts = [cell["execution_count"] for cell in code_cells(LESSON)]
    assert counts == list(range(1, len(counts) + 1))


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
    stored = compared_text(LESSON)
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
    assert f"loss on this batch before the update {before:.6f}, after {after:.6f}" in compared_text(LESSON)


def first_layers_model(learning_rate=0.01, seed=0):
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_lesson06_first_update_moves_only_weights_with_a_gradient(lesson06):
    ns, _ = lesson06
    stored = compared_text(LESSON)
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
    stored = compared_text(LESSON)
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
    stored = compared_text(LESSON)
    assert "grouped : ['0.0', '0.0', '0.0', '0.0', '0.0', '0.0']" in stored
    shuffled = grouped.labels[np.random.default_rng(1).permutation(len(grouped.labels))]
    shares = [f"{shuffled[i * 10:(i + 1) * 10].mean():.1f}" for i in range(6)]
    assert f"shuffled: {shares}" in stored


def test_lesson06_stored_outputs_show_the_computed_numbers(lesson06):
    _, printed = lesson06
    stored = compared_text(LESSON)
    assert stored == printed
    reference = sgd_reference()
    for epoch, (loss, accuracy) in enumerate(zip(reference.history["loss"], reference.history["accuracy"]), 1):
        assert f"epoch {epoch:2d}/20: 210 iterations, loss {loss:.4f}, accuracy {accuracy:.4f}" in stored
    assert "weights per layer: [32, 544, 66] total 642" in stored
    for claim in ("same loss every epoch: True", "same accuracy every epoch: True",
                  "LiveTraining gives the same losses as our loop: True", "fit made 210 iterations per epoch"):
        assert claim in stored


def test_lesson06_shows_the_finished_runs_figure():
    figures = [cell for cell in code_cells(LESSON) if "training_figure" in source(cell)]
    assert len(figures) == 1
    assert any("image/png" in output.get("data", {}) for output in figures[0]["outputs"])


# ================================================================================== the capstone exercise
SOLUTION = ROOT / "solutions" / "06_training_loop.ipynb"
PIECES = ("dense_forward", "dense_backward", "relu_backward", "softmax_crossentropy_backward")


# ----- the learner's pieces, as exercise 05 asks for them -------------------------------------------------

def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)


def relu_backward(z, grad_out):
    return np.where(z > 0, grad_out, 0.0)


def softmax_crossentropy_backward(probabilities, labels):
    return (probabilities - np.eye(probabilities.shape[1])[labels]) / len(labels)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def make_train_epoch(mistake=None):
    """A learner's train_epoch built from the pieces above, right or with one usual mistake."""
    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
        if mistake == "labels":
            x = x[order]
        elif mistake == "own_order":                   # its own shuffle, not the order it was given
            mine = np.random.permutation(len(labels))
            x, labels = x[mine], labels[mine]
        elif mistake != "order":
            x, labels = x[order], labels[order]
        n = len(labels)
        batch_size = n if mistake == "one_batch" else batch_size
        end = n - n % batch_size if mistake == "drop_last" else n
        sign = 1.0 if mistake == "added" else -1.0
        losses, sizes = [], []
        for first in range(0, end, batch_size):
            a, y = x[first:first + batch_size], labels[first:first + batch_size]
            inputs, zs = [], []
            for number, (W, b) in enumerate(params):
                inputs.append(a)
                zs.append(dense_forward(a, W, b))
                a = softmax(zs[-1]) if number == len(params) - 1 else np.maximum(zs[-1], 0)
            loss = float(np.mean(-np.log(a[np.arange(len(y)), y])))
            grad = softmax_crossentropy_backward(a, y)
            updates = []
            for number in reversed(range(len(params))):
                W, b = params[number]
                if number < len(params) - 1:
                    grad = relu_backward(zs[number], grad)
                grad_x, grad_W, grad_b = dense_backward(inputs[number], W, grad)
                if mistake == "during_backward":       # updated at once: the next grad_x sees the new W
                    W, b = W + sign * learning_rate * grad_W, b + sign * learning_rate * grad_b
                    params[number] = (W, b)
                    grad_x = dense_backward(inputs[number], W, grad)[0]
                updates.append((number, grad_W, grad_b))
                grad = grad_x
            if mistake != "during_backward":
                for number, grad_W, grad_b in updates:
                    W, b = params[number]
                    b_step = {"biases_added": -1.0, "biases_mean": 1 / len(y), "biases_double": 2.0}.get(mistake, 1.0)
                    params[number] = (W + sign * learning_rate * grad_W,
                                      b if mistake == "biases" else b + b_step * sign * learning_rate * grad_b)
            if mistake == "after_update":
                a = y_pred(params, x[first:first + batch_size])
                loss = float(np.mean(-np.log(a[np.arange(len(y)), y])))
            losses.append(loss)
            sizes.append(len(y))
        if mistake == "unweighted":
            return params, float(np.mean(losses))
        if mistake == "last_batch":
            return params, losses[-1]
        if mistake == "final_weights":
            a = y_pred(params, x)
            return params, float(np.mean(-np.log(a[np.arange(n), labels])))
        return params, float(np.dot(losses, sizes) / sum(sizes))

    return train_epoch


def y_pred(params, x):
    a = x
    for number, (W, b) in enumerate(params):
        a = dense_forward(a, W, b)
        a = softmax(a) if number == len(params) - 1 else np.maximum(a, 0)
    return a


def train_epoch_by_samples(params, x, labels, order, batch_size, learning_rate):
    """An independent right answer: lists of indices, one-hot targets, in-place updates on copies, and the
    loss summed per sample."""
    weights = [W.copy() for W, _ in params]
    biases = [b.copy() for _, b in params]
    total, count = 0.0, 0
    batches = [list(order[i:i + batch_size]) for i in range(0, len(order), batch_size)]
    for batch in batches:
        xb, yb = x[batch], np.eye(weights[-1].shape[1])[labels[batch]]
        activations, pre = [xb], []
        for k in range(len(weights)):
            pre.append(activations[-1] @ weights[k] + biases[k])
            activations.append(np.maximum(pre[-1], 0) if k < len(weights) - 1 else softmax(pre[-1]))
        p = activations[-1]
        for row in range(len(batch)):
            total -= np.log(np.sum(p[row] * yb[row]))
            count += 1
        delta = (p - yb) / len(batch)
        gradients = []
        for k in range(len(weights) - 1, -1, -1):
            gradients.insert(0, (activations[k].T @ delta, delta.sum(axis=0)))
            if k > 0:
                delta = (delta @ weights[k].T) * (pre[k - 1] > 0)
        for k, (grad_W, grad_b) in enumerate(gradients):
            weights[k] -= learning_rate * grad_W
            biases[k] -= learning_rate * grad_b
    return [(W, b) for W, b in zip(weights, biases)], total / count


# ----- the solution notebook -------------------------------------------------------------------------------

def solution_train_epoch():
    """The solution notebook's train_epoch, with the solved exercise 05's pieces in its namespace."""
    train_epoch = functions_from(SOLUTION, "train_epoch")
    pieces = functions_from(ROOT / "solutions" / "05_backpropagation.ipynb", *PIECES)
    train_epoch.__globals__.update(zip(PIECES, pieces))
    return train_epoch


def test_the_solution_notebook_trains_to_at_least_90_percent_and_plots_the_loss():
    stored = stored_text(SOLUTION)
    accuracy = re.search(r"accuracy on the training data: (\d\.\d{4})", stored)
    losses = [float(value) for value in re.findall(r"epoch +\d+: loss (\d\.\d{4})", stored)]
    assert accuracy and float(accuracy.group(1)) >= 0.9
    assert len(losses) == 20 and losses[-1] < losses[0] - 0.2
    training = [cell for cell in code_cells(SOLUTION) if "accuracy on the training data" in source(cell)]
    assert len(training) == 1 and source(training[0]).rstrip().endswith("plt.show()")
    assert any("image/png" in output.get("data", {}) for output in training[0]["outputs"])


def test_the_solution_reuses_exercise_05s_functions_and_passes_its_check():
    sources = [source(cell) for cell in code_cells(SOLUTION)]
    assert any("checks.functions_from(\n    \"05_backpropagation.ipynb\"" in text for text in sources)
    assert always_passes(checks.train_epoch, solution_train_epoch(), runs=3)


def test_the_statements_worked_numbers_are_what_the_solution_computes():
    from nnbook.tools.cases import lesson_06

    statement = markdown_text(SOLUTION)
    case = lesson_06.worked_example()
    _, loss = solution_train_epoch()(*case.args)
    assert f"the epoch's loss is {loss:.4f}" in statement                       # the check's worked example
    tiny = re.search(r"The epoch's loss should be (0\.\d+)\.", statement).group(1)
    try_it = [cell for cell in code_cells(SOLUTION) if "checks.try_it(train_epoch" in source(cell)]
    assert f" {tiny})" in stored_text({"cells": try_it})                       # the try-it cell printed it


@pytest.mark.parametrize("train_epoch", [make_train_epoch(), train_epoch_by_samples], ids=["pieces", "by_samples"])
def test_independent_right_answers_pass(train_epoch):
    assert always_passes(checks.train_epoch, train_epoch, runs=3)


@pytest.mark.parametrize("mistake, hint", [
    ("order", "this epoch must follow `order`"),
    ("drop_last", "the last, smaller batch was left out"),
    ("added", "the update went uphill"),
    ("biases", "the biases were not updated"),
    ("biases_added", "the biases went uphill"),
    ("labels", "only x was put in `order`: the labels must follow it"),
    ("one_batch", "all the samples went in as one batch"),
    ("during_backward", "updated during the backward pass"),
    ("unweighted", "the plain mean of the batch losses"),
    ("last_batch", "that loss is the last batch's alone"),
    ("after_update", "each batch's loss was taken after its update"),
    ("final_weights", "the loss of the final weights"),
])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")     # going uphill, a loss can reach log(0)
def test_each_named_mistake_fails_with_its_hint_on_every_run(mistake, hint):
    assert always_fails_with(checks.train_epoch, make_train_epoch(mistake), hint)


@pytest.mark.parametrize("mistake", ["biases_mean", "biases_double"])
def test_a_bias_update_no_named_mistake_explains_is_named_as_the_biases_update(mistake):
    result = checks.train_epoch(make_train_epoch(mistake))
    assert failed_with(result, "The step that went wrong: the biases' update. After one iteration")


def test_a_train_epoch_with_its_own_shuffle_is_told_to_follow_order():
    result = checks.train_epoch(make_train_epoch("own_order"))
    assert failed_with(result, "The step that went wrong: the order of the samples. Called twice with the same "
                               "arguments, your train_epoch gives two different answers")


def test_a_train_epoch_that_calls_fit_is_refused_as_using_the_engine():
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    from nnbook.optimizers import SGD

    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        model = Sequential([Dense(W.shape[1], activation="relu") for W, _ in params])
        model.compile(SGD(learning_rate), "sparse_categorical_crossentropy")
        model.set_weights([array for pair in params for array in pair])
        history = model.fit(x[order], labels[order], batch_size=batch_size, shuffle=False, verbose=0)
        weights = model.get_weights()
        return list(zip(weights[::2], weights[1::2])), history.history["loss"][0]

    result = checks.train_epoch(train_epoch)
    assert failed_with(result, "must not call nnbook's engine")
    assert "Sequential from nnbook.models" in result.hint and "SGD from nnbook.optimizers" in result.hint
    assert result.score == 0


def with_piece(name, function):
    """The pieces-built train_epoch, with ``function`` as the piece ``name`` in its namespace."""
    right = make_train_epoch()
    namespace = {**right.__globals__, name: function}
    return types.FunctionType(right.__code__, namespace, right.__name__, right.__defaults__, right.__closure__)


@pytest.mark.parametrize("name, wrong, step", [
    ("relu_backward", lambda z, grad_out: grad_out * (z >= 0), "the backward step through relu"),
    ("dense_forward", lambda x, W, b: x @ W, "the forward pass"),
    ("dense_backward", lambda x, W, grad_out: (grad_out @ W.T, x.T @ grad_out, grad_out.mean(axis=0)),
     "a layer's backward step"),
    ("softmax_crossentropy_backward",
     lambda p, labels: p - np.eye(p.shape[1])[labels], "the loss's backward step"),
])
def test_a_wrong_piece_is_named_as_the_step_that_went_wrong(name, wrong, step):
    result = checks.train_epoch(with_piece(name, wrong))
    assert failed_with(result, f"The step that went wrong: {step}. Your {name} is wrong")
    assert "05_backpropagation.ipynb" in result.hint


def test_a_piece_not_written_yet_is_named_instead_of_not_attempted():
    def relu_backward_stub(z, grad_out):
        raise NotImplementedError("write relu_backward here")

    result = checks.train_epoch(with_piece("relu_backward", relu_backward_stub))
    assert result.status == "failed" and "not attempted" not in result.feedback
    assert "your relu_backward, which is not written yet" in result.hint


def test_under_nbgrader_the_capstone_passes_silently_and_a_mistake_raises(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert checks.train_epoch(make_train_epoch()) is None          # full points, nothing read as a score
    assert "✔ train_epoch" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="went uphill"):
        checks.train_epoch(make_train_epoch("added"))
