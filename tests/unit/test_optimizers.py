"""SGD and Adam: single steps against values worked by hand, and Keras's defaults."""

import math

import numpy as np
import pytest

from nnbook import optimizers
from nnbook.optimizers import SGD, Adam


def test_sgd_step_is_the_lessons_worked_example():
    w = np.array([0.38])
    SGD(learning_rate=0.01).update(w, np.array([-0.55]))
    assert w[0] == pytest.approx(0.3855, abs=1e-15)        # 0.38 - 0.01 * (-0.55)


def test_sgd_updates_every_weight_of_an_array_at_once():
    w = np.array([1.0, -2.0, 0.5])
    SGD(learning_rate=0.1).update(w, np.array([10.0, -10.0, 0.0]))
    assert np.allclose(w, [0.0, -1.0, 0.5], atol=1e-15)


def test_an_optimizer_loops_over_weight_gradient_pairs_in_place():
    kernel, bias = np.array([[1.0, 2.0]]), np.array([0.5, -0.5])
    SGD(learning_rate=0.1).update([kernel, bias], [np.array([[10.0, -10.0]]), np.array([1.0, 0.0])])
    np.testing.assert_allclose(kernel, [[0.0, 3.0]], atol=1e-15)
    np.testing.assert_allclose(bias, [0.4, -0.5], atol=1e-15)


@pytest.mark.parametrize("make", [Adam, lambda: SGD(momentum=0.9)])
def test_a_list_of_arrays_takes_the_same_steps_as_one_array_of_them(make):
    # each weight's state (Adam's m and v, SGD's velocity) is its own: splitting the weights changes nothing
    rng = np.random.default_rng(0)
    whole, whole_opt = rng.normal(size=7), make()
    parts, parts_opt = [whole[:3].reshape(3, 1).copy(), whole[3:].copy()], make()
    for _ in range(5):
        g = rng.normal(size=7)
        whole_opt.update(whole, g)
        parts_opt.update(parts, [g[:3].reshape(3, 1), g[3:]])
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in parts]), whole)
    assert parts_opt.iterations == 5


def test_sgd_with_momentum_two_steps_by_hand():
    w = np.array([1.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.update(w, np.array([2.0]))   # m = 0.9 * 0 - 0.1 * 2 = -0.2;        w = 1.0 - 0.2 = 0.8
    assert w[0] == pytest.approx(0.8, abs=1e-15)
    opt.update(w, np.array([1.0]))   # m = 0.9 * -0.2 - 0.1 * 1 = -0.28;    w = 0.8 - 0.28 = 0.52
    assert w[0] == pytest.approx(0.52, abs=1e-15)


def test_adam_two_steps_by_hand():
    w = np.array([0.5])
    opt = Adam()                                # learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7
    opt.update(w, np.array([0.2]))
    # t = 1: m = 0.1 * 0.2 = 0.02, v = 0.001 * 0.04 = 4e-5, alpha = 0.001 * sqrt(0.001) / 0.1
    step1 = 0.001 * math.sqrt(0.001) / 0.1 * 0.02 / (math.sqrt(4e-5) + 1e-7)
    assert w[0] == pytest.approx(0.5 - step1, abs=1e-15)
    assert w[0] == pytest.approx(0.499000016, abs=1e-9)    # the first step is about learning_rate
    opt.update(w, np.array([-0.1]))
    # t = 2: m = 0.02 + (-0.1 - 0.02) * 0.1 = 0.008; v = 4e-5 + (0.01 - 4e-5) * 0.001 = 4.996e-5
    # alpha = 0.001 * sqrt(1 - 0.999^2) / (1 - 0.9^2) = 0.001 * sqrt(0.001999) / 0.19
    step2 = 0.001 * math.sqrt(0.001999) / 0.19 * 0.008 / (math.sqrt(4.996e-5) + 1e-7)
    assert w[0] == pytest.approx(0.5 - step1 - step2, abs=1e-15)
    assert opt.iterations == 2


def test_keras_defaults():
    adam, sgd = Adam(), SGD()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999, 1e-7)
    assert (sgd.learning_rate, sgd.momentum) == (0.01, 0.0)


def test_get_by_name():
    assert isinstance(optimizers.get("adam"), Adam)
    assert isinstance(optimizers.get("SGD"), SGD)
    with pytest.raises(ValueError, match=r"optimizer must be one of .*got 'rmsprop'"):
        optimizers.get("rmsprop")
    with pytest.raises(TypeError, match="optimizer must be a name"):
        optimizers.get(Adam)


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        Adam(learning_rate=0)
    with pytest.raises(ValueError, match="momentum must be a number in"):
        SGD(momentum=1.5)
    with pytest.raises(ValueError, match=r"beta_1 must be a number in \[0, 1\), got 1.0"):
        Adam(beta_1=1.0)
    with pytest.raises(TypeError, match=r"beta_2 must be a number in \[0, 1\), got '0.9' \(str\)"):
        Adam(beta_2="0.9")
    with pytest.raises(TypeError, match="momentum must be a number in"):
        SGD(momentum=True)


def test_numpy_numbers_are_numbers():
    adam = Adam(learning_rate=np.float32(0.01), beta_1=np.float32(0.9), beta_2=np.float64(0.999),
                epsilon=np.float32(1e-7))
    sgd = SGD(learning_rate=np.float64(0.1), momentum=np.float32(0.9))
    assert adam.beta_1 == pytest.approx(0.9) and adam.beta_2 == 0.999 and sgd.momentum == pytest.approx(0.9)
    assert type(adam.beta_1) is float and type(sgd.momentum) is float
    assert SGD(momentum=np.int64(0)).momentum == 0.0


def test_update_checks_its_arrays():
    with pytest.raises(ValueError, match=r"gradients\[0\] must be an array of the same shape as weights\[0\]"):
        SGD().update(np.zeros(3), np.zeros(2))
    with pytest.raises(TypeError, match=r"weights\[0\] must be a float numpy array \(updated in place\)"):
        SGD().update([0.0], [np.zeros(1)])
    with pytest.raises(TypeError, match=r"weights\[1\] must be a float numpy array"):
        SGD().update([np.zeros(2), np.zeros(2, dtype=int)], [np.zeros(2), np.zeros(2)])
    with pytest.raises(ValueError, match="gradients must be a list of 2 arrays"):
        SGD().update([np.zeros(2), np.zeros(2)], [np.zeros(2)])
    with pytest.raises(TypeError, match="weights must be a list"):
        SGD().update("w", "g")
    opt = Adam()
    opt.update(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="create a new optimizer for each model"):
        opt.update(np.zeros(4), np.ones(4))
    float32 = np.zeros(2, dtype=np.float32)                   # any float array can be updated in place
    SGD(learning_rate=1.0).update(float32, np.ones(2, dtype=np.float32))
    assert float32.tolist() == [-1.0, -1.0]


def test_an_optimizer_shared_by_two_models_of_the_same_size_is_refused():
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    shared = Adam(0.01)
    first, second = (Sequential([Dense(2, input_shape=(1,))], seed=seed) for seed in (0, 1))
    x, y = np.ones((4, 1)), np.zeros((4, 2))
    for model in (first, second):
        model.compile(shared, "mse")
    first.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="for other weight arrays of the same shapes, another model's"):
        second.fit(x, y, verbose=0)
    first.fit(x, y, verbose=0)                 # its own model goes on training with it
    assert shared.iterations == 2
