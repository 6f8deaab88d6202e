"""nnbook.descent: the update rule, the lesson bowl, gradient descent, numerical gradients (lesson 04)."""

import numpy as np
import pytest

from nnbook import descent


def test_seed_update_0_38_becomes_0_3855():
    assert descent.update_weight(0.38, -0.55, 0.01) == pytest.approx(0.3855, abs=1e-15)


def test_seed_slope_comes_from_the_bowl():
    assert descent.bowl_slope(0.38) == pytest.approx(-0.55, abs=1e-12)
    new_w = descent.update_weight(0.38, descent.bowl_slope(0.38), 0.01)
    assert new_w == pytest.approx(0.3855, abs=1e-12)


def test_bowl_minimum_and_slope_signs():
    assert descent.bowl_slope(descent.W_OPTIMUM) == 0.0
    assert descent.bowl_loss(descent.W_OPTIMUM) == descent.BOWL_FLOOR
    assert descent.bowl_slope(0.2) < 0 < descent.bowl_slope(1.0)
    weights = np.linspace(-1, 2, 31)
    assert np.all(descent.bowl_loss(weights) >= descent.BOWL_FLOOR)


def test_bowl_slope_matches_its_numerical_gradient():
    for w in (-0.3, 0.38, 0.655, 1.7):
        assert descent.numerical_gradient(descent.bowl_loss, w) == pytest.approx(descent.bowl_slope(w), abs=1e-8)


def test_update_moves_against_the_slope_on_either_side():
    assert descent.update_weight(1.0, descent.bowl_slope(1.0), 0.1) < 1.0
    assert descent.update_weight(0.2, descent.bowl_slope(0.2), 0.1) > 0.2


def test_update_weight_works_on_arrays_without_changing_them():
    w, g = np.array([0.38, 1.0]), np.array([-0.55, 0.69])
    new_w = descent.update_weight(w, g, 0.01)
    np.testing.assert_allclose(new_w, [0.3855, 0.9931])
    np.testing.assert_array_equal(w, [0.38, 1.0])


def test_gradient_descent_path_starts_at_w0_and_has_steps_plus_one_weights():
    path = descent.gradient_descent(descent.bowl_slope, 0.38, 0.01, 5)
    assert path.shape == (6,)
    assert path[0] == 0.38
    assert path[1] == pytest.approx(0.3855)
    for before, after in zip(path[:-1], path[1:]):
        assert after == pytest.approx(descent.update_weight(before, descent.bowl_slope(before), 0.01))


def test_learning_rate_too_small_right_and_too_large():
    small = descent.gradient_descent(descent.bowl_slope, 0.38, 0.01, 20)
    good = descent.gradient_descent(descent.bowl_slope, 0.38, 0.3, 20)
    large = descent.gradient_descent(descent.bowl_slope, 0.38, 1.05, 20)
    distance = lambda path: abs(path[-1] - descent.W_OPTIMUM)  # noqa: E731
    assert distance(good) < 1e-6 < distance(small) < abs(0.38 - descent.W_OPTIMUM)
    assert distance(large) > abs(0.38 - descent.W_OPTIMUM)  # overshoots further each step


def test_gradient_descent_on_an_array_weight():
    path = descent.gradient_descent(lambda w: 2 * w, np.array([1.0, -2.0]), 0.25, 3)
    assert path.shape == (4, 2)
    np.testing.assert_allclose(path[-1], [0.125, -0.25])


def test_numerical_gradient_is_central_and_accurate_on_arrays():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 2))
    w = rng.normal(size=(3, 2))
    f = lambda w: float(np.sum(a * w**3))  # noqa: E731
    np.testing.assert_allclose(descent.numerical_gradient(f, w), 3 * a * w**2, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_does_not_change_w():
    w = np.array([1.0, 2.0])
    descent.numerical_gradient(lambda v: float(v @ v), w)
    np.testing.assert_array_equal(w, [1.0, 2.0])


@pytest.mark.parametrize("call, error, match", [
    (lambda: descent.update_weight(0.38, -0.55, 0), ValueError,
     r"learning_rate must be a positive finite number, got 0"),
    (lambda: descent.update_weight(0.38, -0.55, -0.01), ValueError, r"learning_rate must be a positive"),
    (lambda: descent.update_weight(0.38, -0.55, float("nan")), ValueError, r"learning_rate must be a positive finite"),
    (lambda: descent.update_weight(0.38, -0.55, "0.01"), TypeError,
     r"learning_rate must be a positive number, got '0.01'"),
    (lambda: descent.update_weight(0.38, -0.55, True), TypeError, r"learning_rate must be a positive number"),
    (lambda: descent.update_weight([0.38, 1.0], [-0.55], 0.01), ValueError,
     r"w and gradient must have the same shape, got w \(2,\) and gradient \(1,\)"),
    (lambda: descent.update_weight(float("inf"), -0.55, 0.01), ValueError, r"w must be finite"),
    (lambda: descent.gradient_descent(descent.bowl_slope, 0.38, 0.01, 2.5), TypeError,
     r"steps must be a whole number \(int\), got 2.5"),
    (lambda: descent.gradient_descent(descent.bowl_slope, 0.38, 0.01, -1), ValueError, r"steps must be at least 0"),
    (lambda: descent.gradient_descent(0.5, 0.38, 0.01, 3), TypeError, r"gradient_fn must be a function"),
    (lambda: descent.gradient_descent(lambda w: [1.0, 2.0], 0.38, 0.01, 3), ValueError,
     r"w and gradient_fn\(w\) must have the same shape"),
    (lambda: descent.numerical_gradient(lambda w: [w, w], 1.0), TypeError, r"f must return a single number"),
    (lambda: descent.numerical_gradient(descent.bowl_loss, 1.0, h=0), ValueError, r"h must be a positive"),
])
def test_descent_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_divergence_is_named_with_the_learning_rate_and_the_step():
    with pytest.raises(ValueError, match=r"gradient descent diverged: with learning_rate=10 the weight grew too "
                                         r"large for a float at step \d+ of 400 .*Use a smaller learning_rate"):
        descent.gradient_descent(descent.bowl_slope, 0.38, 10, 400)
    with pytest.raises(ValueError, match=r"its largest entry was .* smaller learning_rate"):
        descent.gradient_descent(lambda w: 2 * w, np.array([1.0, -2.0]), 5.0, 1000)


def test_a_diverging_path_can_stop_at_its_last_finite_weight():
    path = descent.gradient_descent(descent.bowl_slope, 0.38, 10, 400, stop_if_diverging=True)
    assert 2 < len(path) < 401 and np.all(np.isfinite(path))
    grows = np.abs(path - descent.W_OPTIMUM)
    assert np.all(grows[1:] > grows[:-1])                      # every step overshoots further
    with pytest.raises(ValueError):                            # one more step would overflow
        descent.gradient_descent(descent.bowl_slope, float(path[-1]), 10, 1)
    converging = descent.gradient_descent(descent.bowl_slope, 0.38, 0.3, 50, stop_if_diverging=True)
    assert len(converging) == 51
