"""nnbook.checks.adam_step.

Right answers in several styles (the paper's form and Keras's, arrays and floats) pass; each usual mistake
fails with its hint on every run; the reference agrees with nnbook.optimizers.Adam step after step."""

from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks
from nnbook.optimizers import Adam
from nnbook.tools.cases import common, lesson_07


def adam_keras(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = m + (gradient - m) * (1 - beta_1)
    v = v + (gradient ** 2 - v) * (1 - beta_2)
    alpha = learning_rate * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return w - alpha * m / (np.sqrt(v) + epsilon), m, v


def adam_paper(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * m + (1 - beta_1) * gradient
    v = beta_2 * v + (1 - beta_2) * gradient * gradient
    m_hat = m / (1 - beta_1 ** t)
    v_hat = v / (1 - beta_2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def adam_loops(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Entry by entry, with lists (floats stay floats)."""
    if np.ndim(w) == 0:
        return tuple(float(part[0]) for part in adam_loops([w], [gradient], [m], [v], t, learning_rate,
                                                            beta_1, beta_2, epsilon))
    shape = np.shape(w)
    flat = [np.ravel(x).tolist() for x in (w, gradient, m, v)]
    w_new, m_new, v_new = [], [], []
    for wi, gi, mi, vi in zip(*flat):
        mi = beta_1 * mi + (1 - beta_1) * gi
        vi = beta_2 * vi + (1 - beta_2) * gi ** 2
        step = learning_rate * (mi / (1 - beta_1 ** t)) / (math.sqrt(vi / (1 - beta_2 ** t)) + epsilon)
        w_new.append(wi - step)
        m_new.append(mi)
        v_new.append(vi)
    return tuple(np.reshape(part, shape) for part in (w_new, m_new, v_new))


def adam_in_place(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Updates its (copied) arguments in place, as nnbook's optimizer does; floats are rebound."""
    m *= beta_1
    m += (1 - beta_1) * gradient
    v *= beta_2
    v += (1 - beta_2) * gradient ** 2
    alpha = learning_rate * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    w -= alpha * m / (np.sqrt(v) + epsilon)
    return w, m, v


@pytest.mark.parametrize("adam_step", [adam_keras, adam_paper, adam_loops, adam_in_place])
def test_adam_step_accepts_the_papers_form_and_keras_form(adam_step):
    assert always_passes(checks.adam_step, adam_step)


def test_the_large_epsilon_case_separates_the_two_forms_and_both_are_right():
    """Where epsilon sits matters there: Keras's w_new and the paper's differ far beyond the tolerance."""
    rng = np.random.default_rng(3)
    w, g = rng.uniform(0.5, 2, 4), rng.uniform(0.1, 0.8, 4)
    case = lesson_07._adam_case("case", w, g, np.zeros(4), np.zeros(4), 2, learning_rate=0.01, epsilon=0.1)
    keras, paper = adam_keras(*case.args, **case.kwargs), adam_paper(*case.args, **case.kwargs)
    assert common.compare_finite(keras[0], paper[0]) is not None
    assert np.max(np.abs(keras[0] - paper[0])) > 1e-3
    assert lesson_07._compare(keras, case.expected) is None and lesson_07._compare(paper, case.expected) is None
    wrong = (keras[0] + 1e-3, keras[1], keras[2])
    assert lesson_07._compare(wrong, case.expected) is not None


def no_correction(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * m + (1 - beta_1) * gradient
    v = beta_2 * v + (1 - beta_2) * gradient ** 2
    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v


def corrected(only):
    def adam_step(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        m = beta_1 * m + (1 - beta_1) * gradient
        v = beta_2 * v + (1 - beta_2) * gradient ** 2
        m_hat = m / (1 - beta_1 ** t) if only == "m" else m
        v_hat = v / (1 - beta_2 ** t) if only == "v" else v
        return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v
    return adam_step


def g_not_squared(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * m + (1 - beta_1) * gradient
    v = beta_2 * v + (1 - beta_2) * gradient
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(np.abs(v_hat)) + epsilon), m, v


def with_t(form, shift):
    def adam_step(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        return form(w, gradient, m, v, t + shift, learning_rate, beta_1, beta_2, epsilon)
    return adam_step


def swapped(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    return adam_paper(w, gradient, m, v, t, learning_rate, beta_2, beta_1, epsilon)


def swapped_in_the_means_only(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_2 * m + (1 - beta_2) * gradient
    v = beta_1 * v + (1 - beta_1) * gradient ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def no_sqrt(form):
    def adam_step(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        m = beta_1 * m + (1 - beta_1) * gradient
        v = beta_2 * v + (1 - beta_2) * gradient ** 2
        if form == "paper":
            return w - learning_rate * (m / (1 - beta_1 ** t)) / (v / (1 - beta_2 ** t) + epsilon), m, v
        alpha = learning_rate * (1 - beta_2 ** t) / (1 - beta_1 ** t)
        return w - alpha * m / (v + epsilon), m, v
    return adam_step


def flipped(form):
    def adam_step(*args, **kwargs):
        w = args[0]
        w_new, m, v = form(*args, **kwargs)
        return w + (w - w_new), m, v
    return adam_step


def ignores_its_settings(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    return adam_keras(w, gradient, m, v, t)


WORKED = adam_keras(np.zeros(3), np.array([20.0, 0.5, -0.001]), np.zeros(3), np.zeros(3), 1, learning_rate=0.0001)


@pytest.mark.parametrize("adam_step, hint", [
    (no_correction, "no bias correction"),
    (corrected("m"), "only m was bias-corrected"),
    (corrected("v"), "only v was bias-corrected"),
    (g_not_squared, "not of g"),
    (flipped(adam_keras), "the wrong sign"),
    (flipped(adam_paper), "the wrong sign"),
    (with_t(adam_keras, -1), "t counts from 1"),
    (with_t(adam_paper, -1), "t counts from 1"),
    (with_t(adam_keras, +1), "t counts from 1"),
    (with_t(adam_paper, +1), "t counts from 1"),
    (swapped, "beta_1 and beta_2 are swapped"),
    (swapped_in_the_means_only, "beta_1 and beta_2 are swapped"),
    (no_sqrt("paper"), "the square root is missing"),
    (no_sqrt("keras"), "the square root is missing"),
    (ignores_its_settings, "use the values passed in"),
    (lambda *args, **kwargs: WORKED, "the worked example's answer"),
])
def test_adam_step_names_the_usual_mistakes(adam_step, hint):
    assert always_fails_with(checks.adam_step, adam_step, hint)


def test_t_minus_1_with_floats_divides_by_zero_and_the_hint_says_why():
    result = checks.adam_step(with_t(adam_keras, -1))
    assert any("ZeroDivisionError" in failure.received and "1 - beta_1**t is 0 only when t is 0" in failure.hint
               for failure in result.failures)


@pytest.mark.parametrize("settings", [{}, {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-4}])
def test_reference_agrees_with_several_steps_of_nnbooks_adam(settings):
    """Five steps on one weight array, the gradients those of sum(w**2) at each step's weights."""
    optimizer = Adam(**settings)
    start = np.array([[0.8, -1.2, 0.05], [2.0, -0.3, 1.1]])
    library, w, m, v = start.copy(), start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t in range(1, 6):
        gradient = 2 * library
        optimizer.update(library, gradient)
        w, m, v = lesson_07._adam(w, 2 * w, m, v, t, **{**lesson_07.DEFAULTS, **settings})
        np.testing.assert_allclose(w, library, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(m, optimizer.m[0], rtol=1e-12)          # the state of the one weight array
        np.testing.assert_allclose(v, optimizer.v[0], rtol=1e-12)
    assert not np.allclose(library, start)


def test_the_worked_example_is_lesson_07s_first_step():
    """Lesson 07 steps from 0 with g = (20, 0.5, -0.001) and learning rate 0.0001: about -0.0001 each."""
    g = np.array([20.0, 0.5, -0.001])
    case = lesson_07._adam_case("the worked example", np.zeros(3), g, np.zeros(3), np.zeros(3), 1,
                                learning_rate=0.0001)
    library = np.zeros(3)
    Adam(learning_rate=0.0001).update(library, g)
    np.testing.assert_allclose(case.expected[0], library, rtol=1e-12)
    np.testing.assert_allclose(np.abs(case.expected[0]), 1e-4, rtol=0.01)
    np.testing.assert_allclose(case.expected[1], 0.1 * g)
    np.testing.assert_allclose(case.expected[2], 0.001 * g ** 2)
