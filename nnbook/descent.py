"""Lessons 01, 04, 05: gradient descent. Move each weight against the slope of the loss.

The update rule, for a weight ``W``, learning rate ``lr`` and slope ``dL/dW`` at ``W``::

    W_new = W - lr * dL/dW

A negative slope means the loss falls to the right, so the weight grows; a positive slope means it falls
to the left, so the weight shrinks. The course's worked example: W = 0.38, lr = 0.01, slope -0.55::

    W_new = 0.38 - 0.01 * (-0.55) = 0.3855

To see where -0.55 comes from, the lessons use a loss shaped like a bowl, with its minimum at
``W_OPTIMUM = 0.655``::

    L(W) = (W - 0.655)^2 + c        dL/dW = 2 * (W - 0.655)        dL/dW at 0.38 = -0.55

Shapes: a weight is a float or an array; its gradient has the same shape.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook import _validate

#: Where the lesson bowl has its minimum: the optimal weight W_o.
W_OPTIMUM = 0.655
#: The lesson bowl's height at its minimum, the c in L(W) = (W - 0.655)^2 + c.
BOWL_FLOOR = 0.1


def update_weight(w, gradient, learning_rate):
    """One gradient-descent step: ``w - learning_rate * gradient``.

    Args:
        w: the current weight, a float or an array.
        gradient: dL/dw at ``w``, the same shape as ``w``.
        learning_rate: a positive number, usually between 0.01 and 0.0001.

    Returns:
        the new weight: a float for a float ``w``, else a new array (``w`` is not changed).

    >>> round(update_weight(0.38, -0.55, 0.01), 4)
    0.3855
    """
    learning_rate = _validate.positive_number("learning_rate", learning_rate)
    w_array = _validate.float_array("w", w)
    g_array = _validate.float_array("gradient", gradient)
    _validate.same_shape("w", w_array, "gradient", g_array)
    new_w = w_array - learning_rate * g_array
    return float(new_w) if new_w.ndim == 0 else new_w


def bowl_loss(w):
    """The lesson bowl ``L(W) = (W - W_OPTIMUM)^2 + BOWL_FLOOR``, for a float or an array of weights."""
    w_array = _validate.float_array("w", w)
    loss = (w_array - W_OPTIMUM) ** 2 + BOWL_FLOOR
    return float(loss) if loss.ndim == 0 else loss


def bowl_slope(w):
    """The slope of the lesson bowl, ``dL/dW = 2 * (W - W_OPTIMUM)``; -0.55 at W = 0.38."""
    w_array = _validate.float_array("w", w)
    slope = 2.0 * (w_array - W_OPTIMUM)
    return float(slope) if slope.ndim == 0 else slope


def gradient_descent(gradient_fn, w0, learning_rate, steps: int, *, stop_if_diverging: bool = False) -> np.ndarray:
    """Repeat the update rule ``steps`` times from ``w0`` and return every weight visited.

    Args:
        gradient_fn: a function of the weight returning dL/dw (same shape as the weight),
            for instance :func:`bowl_slope`.
        w0: the starting weight, a float or an array.
        learning_rate: a positive number.
        steps: how many updates, a whole number >= 0.
        stop_if_diverging: what to do when the weights blow up (a learning rate so large that every step
            overshoots more than the last, until a float cannot hold the weight): ``False`` raises a
            ``ValueError`` naming the learning rate and the step; ``True`` returns the path up to the last
            finite weight, so a plot can show the divergence.

    Returns:
        the path: an array of shape (steps + 1,) for a float ``w0``, or (steps + 1, *w0.shape) for an
        array (fewer rows when it stopped diverging); ``path[0]`` is ``w0`` and ``path[-1]`` the final weight.
    """
    _validate.callable_arg("gradient_fn", gradient_fn)
    learning_rate = _validate.positive_number("learning_rate", learning_rate)
    steps = _validate.whole_number("steps", steps, minimum=0)
    stop_if_diverging = _validate.flag("stop_if_diverging", stop_if_diverging)
    w = _validate.float_array("w0", w0)
    path = [w]
    for step in range(1, steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):   # overflow is caught below, by name
            gradient = gradient_fn(w.copy() if w.ndim else float(w))
            if step > 1 and not np.all(np.isfinite(np.asarray(gradient, dtype=float))):
                new_w = np.full_like(w, np.inf)              # the slope itself overflowed: so would the weight
            else:
                gradient = _validate.float_array("gradient_fn(w)", gradient)
                _validate.same_shape("w", w, "gradient_fn(w)", gradient)
                new_w = w - learning_rate * gradient
        if not np.all(np.isfinite(new_w)):
            if stop_if_diverging:
                break
            raise ValueError(
                f"gradient descent diverged: with learning_rate={learning_rate:g} the weight grew too large for a "
                f"float at step {step} of {steps} ({'it was' if w.ndim == 0 else 'its largest entry was'} "
                f"{float(np.max(np.abs(w))):.3g} at step {step - 1}): each step overshot the minimum by more than "
                f"the last. Use a smaller learning_rate.")
        w = new_w
        path.append(w)
    return np.array(path)


def numerical_gradient(f, w, h: float = 1e-5):
    """Central-difference estimate of the gradient of a scalar function ``f`` at ``w``.

    For each entry ``w_i``::

        df/dw_i ~ (f(w + h e_i) - f(w - h e_i)) / (2 h)

    Its error shrinks like h^2, against h for the one-sided ``(f(w + h) - f(w)) / h``. Lesson 05 uses it
    to check backpropagation.

    Args:
        f: a function taking something shaped like ``w`` and returning a number.
        w: a float or an array, the point at which to differentiate.
        h: the step, a small positive number.

    Returns:
        a float for a float ``w``, else an array shaped like ``w``.
    """
    _validate.callable_arg("f", f)
    h = _validate.positive_number("h", h)
    w_array = _validate.float_array("w", w)
    scalar = w_array.ndim == 0

    def evaluate(point: np.ndarray) -> float:
        value = f(float(point) if scalar else point)
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"f must return a single number, got {_validate.describe(value)}")
        return float(value)

    gradient = np.zeros_like(w_array)
    for index in np.ndindex(w_array.shape):
        plus, minus = w_array.copy(), w_array.copy()
        plus[index] += h
        minus[index] -= h
        gradient[index] = (evaluate(plus) - evaluate(minus)) / (2 * h)
    return float(gradient) if scalar else gradient
