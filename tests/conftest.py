"""Set-up every test folder shares: the Agg backend, and each lesson's run, done once per test session.

matplotlib draws off screen here, chosen before any test module loads pyplot. The session fixtures below are
named after their lesson and run it once per pytest process (`make test`'s `-n 3 --dist loadscope` keeps each
test file on one worker, so at most once per worker): lessons 04-07 by executing the notebook's code cells
here, lessons 08-11 by repeating the lesson's seeded training (same data, seed and settings) with the library.
"""

import matplotlib
import pytest

matplotlib.use("Agg")
# The checks several lessons' tests share live in notebook_helpers: rewrite their asserts as in a test module.
pytest.register_assert_rewrite("notebook_helpers")

import numpy as np  # noqa: E402
from notebook_helpers import COURSE, run_code_cells, source_model  # noqa: E402

from nnbook.data import digits, drug_trial  # noqa: E402
from nnbook.encoding import one_hot  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import images as pictures  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402


# ----------------------------------------------------------------------- lessons 04-07: the notebook, executed
@pytest.fixture(scope="session")
def lesson04():
    """Lesson 04 executed here: (namespace, what its compared cells print)."""
    return run_code_cells(COURSE / "04_gradient_descent.ipynb")[:2]


@pytest.fixture(scope="session")
def lesson05():
    """Lesson 05 executed here: (namespace, what its compared cells print)."""
    return run_code_cells(COURSE / "05_backpropagation.ipynb")[:2]


@pytest.fixture(scope="session")
def lesson06():
    """Lesson 06 executed here: (namespace, what its compared cells print)."""
    return run_code_cells(COURSE / "06_training_loop.ipynb")[:2]


@pytest.fixture(scope="session")
def lesson07():
    """Lesson 07 executed here, every cell but the Keras one, whose output depends on the machine (its test
    runs it on its own): (namespace, what the compared cells print, each cell's printout by index)."""
    return run_code_cells(COURSE / "07_keras_style_training.ipynb", skip=("find_spec",))


# --------------------------------------------------------------------- lessons 08-11: the lesson's run, repeated
@pytest.fixture(scope="session")
def lesson08():
    """Lesson 08's run: the source's model with a softmax output (seed 1), 20 epochs on the drug trial:
    (trial, model, history). Tests read the model; none trains it further."""
    trial = drug_trial(seed=0)
    model = source_model(seed=1)
    history = model.fit(trial.x, trial.labels, batch_size=10, epochs=20, verbose=0)
    return trial, model, history


@pytest.fixture(scope="session")
def lesson09(lesson08):
    """Lesson 09's model: (trial, model). Lesson 09 trains the same seeded model on the same data as lesson 08,
    so it is lesson 08's run."""
    trial, model, _ = lesson08
    return trial, model


def _tiny_model(learning_rate):
    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")], seed=1)
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.fixture(scope="session")
def lesson10():
    """Lesson 10's runs, each with fit's validation_split=0.1: (ordered trial, the shuffling order, runs).

    runs: "ordered" and "shuffled" (lesson 08's network, 20 epochs, on the rows as they came and shuffled),
    "tiny" and "tiny_fast" (one softmax layer, learning rates 0.0001 and 0.01), "big" (64-64 units, 400 epochs
    on 40 people, validated on 210 others).
    """
    ordered = drug_trial(seed=0, shuffle=False)
    order = np.random.default_rng(0).permutation(2100)
    x, labels = ordered.x[order], ordered.labels[order]
    runs = {"ordered": source_model(seed=1).fit(ordered.x, ordered.labels, batch_size=10, epochs=20, verbose=0,
                                                validation_split=0.1),
            "shuffled": source_model(seed=1).fit(x, labels, batch_size=10, epochs=20, verbose=0,
                                                 validation_split=0.1),
            "tiny": _tiny_model(0.0001).fit(x, labels, batch_size=10, epochs=20, verbose=0, validation_split=0.1),
            "tiny_fast": _tiny_model(0.01).fit(x, labels, batch_size=10, epochs=20, verbose=0,
                                               validation_split=0.1)}
    few = drug_trial(seed=16)
    held_out = drug_trial(seed=100, typical=200, exceptions=10)
    big = Sequential([Dense(64, input_shape=(1,), activation="relu"), Dense(64, activation="relu"),
                      Dense(2, activation="softmax")], seed=1)
    big.compile(optimizer=Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    runs["big"] = big.fit(few.x[:40], few.labels[:40], batch_size=10, epochs=400, verbose=0,
                          validation_data=(held_out.x, held_out.labels))
    return ordered, order, runs


@pytest.fixture(scope="session")
def lesson11():
    """Lesson 11's run: the digit network trained as the lesson trains it (same data, split, seed, settings),
    as a dict of its data, split, model, first kernel before training, history and held-out probabilities."""
    images, labels = digits()
    x, y = pictures.images_to_inputs(images), one_hot(labels, 10)
    train, held_out = pictures.held_out_split(len(x), train_fraction=0.8, seed=0)
    model = Sequential([Dense(32, input_shape=(64,), activation="relu"), Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    start = model.get_weights()[0].copy()
    history = model.fit(x[train], y[train], batch_size=32, epochs=20, verbose=0,
                        validation_data=(x[held_out], y[held_out]))
    probabilities = model.predict(x[held_out])
    return dict(images=images, labels=labels, x=x, train=train, held_out=held_out, model=model, start=start,
                history=history, probabilities=probabilities, labels_test=labels[held_out])
