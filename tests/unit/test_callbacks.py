"""nnbook.callbacks: fit calls the hooks in Keras's order with Keras's logs; History and the log are callbacks."""

import numpy as np
import pytest

from nnbook.callbacks import Callback, History, ProgbarLogger
from nnbook.data import drug_trial
from nnbook.layers import Dense
from nnbook.models import Sequential
from nnbook.optimizers import SGD


class Recorder(Callback):
    """Writes down every hook call with a copy of its logs."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, dict(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, dict(logs)))

    def on_train_end(self, logs=None):
        self.calls.append(("train_end",))


def model_and_data(seed=1, n=25):
    trial = drug_trial(seed=seed, typical=n // 2, exceptions=1)
    model = Sequential([Dense(4, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, trial.x, trial.labels


def test_fit_calls_the_hooks_in_kerass_order():
    model, x, labels = model_and_data()
    recorder = Recorder()
    model.fit(x, labels, batch_size=10, epochs=2, verbose=0, callbacks=[recorder])
    steps = -(-len(x) // 10)
    names = [call[:2] if call[0] != "train_begin" and call[0] != "train_end" else call[:1] for call in recorder.calls]
    expected = [("train_begin",)]
    for epoch in range(2):
        expected += [("epoch_begin", epoch)] + [("batch_end", b) for b in range(steps)] + [("epoch_end", epoch)]
    expected.append(("train_end",))
    assert names == expected
    assert recorder.model is model
    assert recorder.params == {"verbose": 0, "epochs": 2, "steps": steps}


def test_batch_logs_are_the_epochs_running_means_weighted_by_batch_size():
    model, x, labels = model_and_data()
    start = model.get_weights()
    recorder = Recorder()
    model.fit(x, labels, batch_size=10, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
    batch_logs = [call[2] for call in recorder.calls if call[0] == "batch_end"]

    # Replay the same epoch by hand: the loss of each batch before its update, then the SGD step.
    twin, _, _ = model_and_data()
    twin.set_weights(start)
    losses, correct, sizes = [], [], []
    for s in range(0, len(x), 10):
        xb, yb = x[s:s + 10], labels[s:s + 10]
        correct.append(np.sum(twin.predict(xb).argmax(axis=1) == yb))
        loss, grads = twin.compute_gradients(xb, yb)
        twin.set_weights([w - 0.1 * g for w, g in zip(twin.get_weights(), grads)])
        losses.append(loss)
        sizes.append(len(xb))
    for k, logs in enumerate(batch_logs):
        seen = sum(sizes[:k + 1])
        assert logs["loss"] == pytest.approx(np.dot(losses[:k + 1], sizes[:k + 1]) / seen, rel=1e-12)
        assert logs["accuracy"] == pytest.approx(sum(correct[:k + 1]) / seen, rel=1e-12)
    epoch_logs = [call[2] for call in recorder.calls if call[0] == "epoch_end"][0]
    assert epoch_logs == batch_logs[-1]
    assert model.history.history == {key: [value] for key, value in epoch_logs.items()}


def test_history_is_the_callback_fit_returns_and_records_validation():
    model, x, labels = model_and_data()
    history = model.fit(x, labels, batch_size=8, epochs=3, verbose=0, validation_split=0.2)
    assert isinstance(history, History) and history is model.history
    assert history.epoch == [0, 1, 2]
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 3 and all(isinstance(v, float) for v in values) for values in history.history.values())
    assert history.params["epochs"] == 3 and history.params["steps"] == -(-int(len(x) * 0.8) // 8)


def test_epoch_logs_carry_the_validation_scores_of_evaluate():
    model, x, labels = model_and_data()
    recorder = Recorder()
    model.fit(x[:20], labels[:20], batch_size=8, epochs=1, verbose=0, validation_data=(x[20:], labels[20:]),
              callbacks=[recorder])
    logs = recorder.calls[-2][2]
    loss, accuracy = model.evaluate(x[20:], labels[20:], batch_size=8, verbose=0)
    assert logs["val_loss"] == pytest.approx(loss, rel=1e-14)
    assert logs["val_accuracy"] == pytest.approx(accuracy, rel=1e-14)


def test_verbose_2_prints_kerass_epoch_lines_through_the_progbar_logger(capsys):
    model, x, labels = model_and_data()
    history = model.fit(x, labels, batch_size=10, epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    steps = history.params["steps"]
    for line, epoch in ((lines[1], 0), (lines[3], 1)):
        assert line.startswith(f"{steps}/{steps} - ")
        assert line.endswith(f" - accuracy: {history.history['accuracy'][epoch]:.4f} - "
                             f"loss: {history.history['loss'][epoch]:.4f}")


def test_verbose_0_prints_nothing_and_adds_no_logger(capsys):
    model, x, labels = model_and_data()
    recorder = Recorder()
    model.fit(x, labels, epochs=2, verbose=0, callbacks=[recorder])
    assert capsys.readouterr().out == ""


def test_a_callback_without_batch_hooks_still_gets_every_epoch():
    class EpochsOnly(Callback):
        def __init__(self):
            super().__init__()
            self.epochs = []

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append((epoch, logs["loss"]))

    model, x, labels = model_and_data()
    only = EpochsOnly()
    history = model.fit(x, labels, epochs=3, verbose=0, callbacks=[only])
    assert only.epochs == list(zip(history.epoch, history.history["loss"]))


@pytest.mark.parametrize("callbacks", [History, [object()], "history"])
def test_fit_rejects_callbacks_that_are_not_callback_objects(callbacks):
    model, x, labels = model_and_data()
    with pytest.raises(TypeError, match="callbacks must be a list of nnbook Callback objects"):
        model.fit(x, labels, verbose=0, callbacks=callbacks)


def test_progbar_logger_alone_prints_one_line_per_epoch(capsys):
    logger = ProgbarLogger()
    logger.set_params({"verbose": 2, "epochs": 1, "steps": 7})
    logger.on_epoch_begin(0)
    logger.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.25})
    line = capsys.readouterr().out.strip()
    assert line.startswith("7/7 - ") and line.endswith(" - accuracy: 0.2500 - loss: 0.5000")


def test_kerass_newer_batch_hook_name_works_too():
    class Batches(Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append((batch, logs["loss"]))

    model, x, labels = model_and_data()
    new, old = Batches(), Recorder()
    model.fit(x, labels, batch_size=10, epochs=1, verbose=0, callbacks=[new, old])
    assert new.seen == [(call[1], call[2]["loss"]) for call in old.calls if call[0] == "batch_end"]
    assert len(new.seen) == -(-len(x) // 10)


def test_fit_takes_its_arguments_in_kerass_order():
    model, x, labels = model_and_data()
    recorder = Recorder()
    # Keras: fit(x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data, shuffle)
    history = model.fit(x, labels, 8, 2, 0, [recorder], 0.2, None, False)
    assert history.params == {"verbose": 0, "epochs": 2, "steps": -(-int(len(x) * 0.8) // 8)}
    assert "val_loss" in history.history and recorder.model is model
