"""nnbook.checks.iterations_per_epoch, and the parts of train_epoch's check (the capstone's own tests, with
the solution notebook, are in tests/lessons/test_lesson_06_capstone.py).

Right answers in several styles pass; each usual mistake fails with its hint on every run."""
from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with, failed_with

import nnbook
from nnbook import activations, checks  # activations and the imports below: the engine, as a learner might use it
from nnbook.layers import Dense
from nnbook.models import Sequential
from nnbook.optimizers import SGD
from nnbook.tools.cases import lesson_06


def iterations_loop(n_samples, batch_size):
    count, start = 0, 0
    while start < n_samples:
        count += 1
        start += batch_size
    return count


@pytest.mark.parametrize("iterations_per_epoch", [
    lambda n, b: math.ceil(n / b),
    lambda n, b: -(-n // b),
    lambda n, b: int(np.ceil(n / b)),
    lambda n, b: len(range(0, n, b)),
    iterations_loop,
])
def test_iterations_per_epoch_accepts_right_answers(iterations_per_epoch):
    assert checks.iterations_per_epoch(iterations_per_epoch)


@pytest.mark.parametrize("iterations_per_epoch, hint", [
    (lambda n, b: n // b, "that rounds down"),
    (lambda n, b: int(n / b), "that rounds down"),
    (lambda n, b: round(n / b), "round() too when less than half a batch"),
    (lambda n, b: int(round(n / b)), "round() too when less than half a batch"),
    (lambda n, b: np.ceil(n / b), "the right count, but as a float"),
    (lambda n, b: np.array(math.ceil(n / b)), "the right count, but as a numpy array"),
    (lambda n, b: n / b, "unrounded"),
    (lambda n, b: n // b + 1, "adding 1 to the floor"),
    (lambda n, b: math.ceil(b / n), "the arguments are swapped"),
    (lambda n, b: 66, "the worked example's answer"),
    (lambda n, b: n > 0, "a bool: return the count as an int"),
])
def test_iterations_per_epoch_names_the_usual_mistakes(iterations_per_epoch, hint):
    assert always_fails_with(checks.iterations_per_epoch, iterations_per_epoch, hint)


def test_iterations_per_epoch_worked_example_is_2100_samples_in_batches_of_32():
    result = checks.iterations_per_epoch(lambda n, b: n // b)
    assert result.failures[0].call == "iterations_per_epoch(n_samples=2100, batch_size=32)"
    assert (result.failures[0].expected, result.failures[0].received) == (str(math.ceil(2100 / 32)), "65")


def test_a_bool_or_an_array_count_is_named_and_never_called_a_float():
    for answer in (lambda n, b: True, lambda n, b: np.array(float(math.ceil(n / b)))):
        result = checks.iterations_per_epoch(answer)
        assert not result and all("as a float" not in failure.hint for failure in result.failures)


def test_round_fails_on_the_hidden_cases_made_for_it_on_every_run():
    """Hidden case 1 leaves under half a batch over and hidden case 3 has under half a batch of samples:
    round() rounds both down, whatever numbers are drawn."""
    for _ in range(25):
        failing = [failure.case for failure in checks.iterations_per_epoch(lambda n, b: round(n / b)).failures]
        assert "hidden case 1" in failing and "hidden case 3" in failing


# --------------------------------------------------------------------------------------------------
# train_epoch: the parts of its check (the capstone itself: tests/lessons/test_lesson_06_capstone.py)

def small_epoch_case():
    rng = np.random.default_rng(3)
    return lesson_06._hidden_case(rng, "hidden case 1", 2)


def test_the_expected_epoch_is_fit_and_the_numpy_reference_agrees_with_it():
    case = small_epoch_case()
    params, loss = lesson_06._epoch(*case.args)
    assert lesson_06._compare_epoch(lesson_06._Epoch(params, loss), case.expected) is None
    assert abs(loss - case.expected.loss) < 1e-12


def test_every_named_mistake_differs_from_the_right_epoch_in_the_fixed_worked_example():
    case = lesson_06.worked_example()
    assert [hint for _, hint in case.mistakes] == list(lesson_06.MISTAKES.values())
    for wrong, hint in case.mistakes:
        assert wrong is not None, hint
        assert lesson_06._compare_epoch(wrong, case.expected) is not None, hint
    n, batch_size = len(case.args[2]), case.args[4]
    assert n % batch_size != 0 and not np.array_equal(case.args[3], np.arange(n))


@pytest.mark.parametrize("returned, problem", [
    (0.5, "expected a tuple (new_params, loss), got 0.5"),
    (([1, 2], 0.5), "new_params: expected a list of 3 (W, b) pairs"),
    (([1, 2, 3], 0.5), "layer 1: expected a pair (W, b), got 1"),
])
def test_a_result_of_the_wrong_form_says_what_was_expected(returned, problem):
    case = small_epoch_case()
    assert problem in lesson_06._compare_epoch(returned, case.expected)


def test_a_wrong_epoch_names_the_layers_and_parts_that_differ():
    case = small_epoch_case()
    params = [(W.copy(), b.copy()) for W, b in case.expected.params]
    params[1][0][0, 0] += 1e-6
    problem = lesson_06._compare_epoch((params, case.expected.loss + 1e-3), case.expected)
    assert problem == f"wrong: layer 2's W (1 of {params[1][0].size} entries wrong); the loss"
    lists = ([(W.tolist(), b.tolist()) for W, b in case.expected.params], case.expected.loss)
    assert lesson_06._compare_epoch(lists, case.expected) is None                 # lists are fine


def test_the_worked_example_is_made_once_however_often_the_learner_checks():
    """The lesson's epoch over 2100 samples, with each named mistake's, is the check's costly part: it is made
    at the first Check of a kernel and shared by every later one (which then takes ~0.05 s here; how fast is a
    benchmark's question, so this test asserts the sharing, not a time)."""
    lesson_06.worked_example.cache_clear()
    for _ in range(3):
        checks.train_epoch(lambda *args: None)
    info = lesson_06.worked_example.cache_info()
    assert (info.misses, info.hits) == (1, 2)


# ----- the engine: refused however it is reached ---------------------------------------------------

def uses_a_model(params, x, labels, order, batch_size, learning_rate):
    return MODEL.fit(x, labels), 0.0


def helper_using_relu(z):
    return activations.relu(z)


def uses_it_through_a_helper(params, x, labels, order, batch_size, learning_rate):
    return helper_using_relu(x), 0.0


def uses_the_package(params, x, labels, order, batch_size, learning_rate):
    return nnbook.losses.sparse_categorical_crossentropy(labels, x), 0.0


def uses_a_list_of_layers(params, x, labels, order, batch_size, learning_rate):
    return [layer.forward(x) for layer in LAYERS], 0.0


def make_closure():
    optimizer = SGD(0.1)

    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        return optimizer.update(params, x), 0.0
    return train_epoch


MODEL = Sequential([Dense(2, input_shape=(1,))])
LAYERS = [Dense(2)]


@pytest.mark.parametrize("train_epoch, named", [
    (uses_a_model, "MODEL from nnbook.models"),
    (uses_it_through_a_helper, "activations (in helper_using_relu, which it calls) from nnbook.activations"),
    (uses_the_package, "nnbook.losses from nnbook.losses"),
    (uses_a_list_of_layers, "LAYERS[...] from nnbook.layers"),
    (make_closure(), "optimizer from nnbook.optimizers"),
])
def test_a_train_epoch_using_the_engine_is_refused_and_told_what_it_used(train_epoch, named):
    result = checks.train_epoch(train_epoch)
    assert failed_with(result, "must not call nnbook's engine") and named in result.hint


def test_numpy_and_the_data_module_are_not_the_engine():
    from nnbook.data import drug_trial

    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        drug_trial                                   # noqa: B018  named, not the engine
        return [(np.asarray(W), np.asarray(b)) for W, b in params], 0.0

    result = checks.train_epoch(train_epoch)
    assert not result and "engine" not in result.feedback
