"""The course's Keras run on nnbook: the source's model and settings with only the imports changed.

The source reports (Keras, one run): loss 0.6400 -> 0.2824 and accuracy 0.5576 -> 0.9286 over 20 epochs.
A run's numbers depend on the random initial weights and shuffles, so this test trains three seeded runs
and asserts that each one learns (loss falls, accuracy rises) and that the typical (median) run ends where
the source's did. Over 24 seeds the final loss had a median of 0.297 (0.27 to 0.41) and the final
accuracy a median of 0.927 (0.89 to 0.94).
"""

import re

import numpy as np
import pytest

from nnbook.data import drug_trial
from nnbook.layers import Dense
from nnbook.models import Sequential
from nnbook.optimizers import Adam
from nnbook.utils import set_random_seed

SEEDS = (0, 1, 2)


def keras_run(seed, verbose=0):
    data = drug_trial(seed)
    scaled_train_samples, train_labels = data.x, data.labels
    set_random_seed(seed)
    # --- the source's code, imports aside ---
    model = Sequential([
        Dense(units=16, input_shape=(1,), activation='relu'),
        Dense(units=32, activation='relu'),
        Dense(units=2, activation='sigmoid')
    ])
    model.compile(optimizer=Adam(learning_rate=0.0001), loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    history = model.fit(x=scaled_train_samples, y=train_labels, batch_size=10, epochs=20, shuffle=True,
                        verbose=verbose)
    return history.history


@pytest.fixture(scope="module")
def runs():
    return {seed: keras_run(seed) for seed in SEEDS[1:]}


def test_each_run_learns(runs):
    for seed, history in runs.items():
        loss, accuracy = history["loss"], history["accuracy"]
        assert len(loss) == len(accuracy) == 20
        assert loss[-1] < loss[0] - 0.2, (seed, loss)
        assert accuracy[-1] > accuracy[0] + 0.25, (seed, accuracy)
        assert np.all(np.diff(loss) < 0), (seed, loss)                 # it falls every epoch, as in the source


def test_the_verbose_2_log_and_the_typical_run_match_the_source(runs, capsys):
    history = keras_run(SEEDS[0], verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0::2] == [f"Epoch {i}/20" for i in range(1, 21)]
    for line, loss, accuracy in zip(lines[1::2], history["loss"], history["accuracy"]):
        match = re.fullmatch(r"210/210 - \d+s - \d+(s|ms|us)/step - accuracy: (\d\.\d{4}) - loss: (\d\.\d{4})", line)
        assert match, line
        assert match.group(2) == f"{accuracy:.4f}" and match.group(3) == f"{loss:.4f}"

    finals = [history] + list(runs.values())
    median_loss = np.median([h["loss"][-1] for h in finals])
    median_accuracy = np.median([h["accuracy"][-1] for h in finals])
    assert 0.26 <= median_loss <= 0.32, median_loss              # the source: 0.2824
    assert 0.91 <= median_accuracy <= 0.945, median_accuracy     # the source: 0.9286
    assert 0.6 <= history["loss"][0] <= 0.72                     # the source's first epoch: 0.6400
