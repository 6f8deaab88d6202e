"""Lessons 05-11: ``Sequential``, a stack of layers trained the way Keras trains it.

``fit`` is the training loop of lesson 06, in the library's words. For each epoch::

    shuffle the samples (a new order every epoch)
    for each batch of batch_size samples (one iteration; the last batch may be shorter):
        forward:   a = layer.forward(a) for every layer, the first first
        loss:      loss = self.loss.forward(y_batch, a)
        backward:  grad = self.loss.backward(), then grad = layer.backward(grad) for every layer, the last first
        update:    the optimizer moves every weight against its gradient; for SGD, for each layer,
                   layer.kernel -= learning_rate * layer.grad_kernel (and the same for the bias)
    the callbacks receive the epoch's loss and accuracy (History records them)

Each ``Dense`` layer keeps its own ``kernel`` and ``bias`` and, after ``backward``, their gradients
``grad_kernel`` and ``grad_bias`` (lesson 05); the optimizer gets them as two lists in Keras's order.

Shapes: rows are samples. x is (n, features); y is (n,) integer labels for
``sparse_categorical_crossentropy``, else (n, units) target rows.

Randomness (initial weights, then shuffling) comes from one generator per model: ``Sequential(layers,
seed=42)`` makes a run reproducible to the last digit (see :mod:`nnbook.utils`).
"""

from __future__ import annotations

import math

import numpy as np

from nnbook import _validate, losses, optimizers, utils
from nnbook._summary import summary_table
from nnbook.callbacks import CallbackList, History, logged
from nnbook.layers import Dense, set_arrays
from nnbook.metrics import RunningMeans, count_correct


class NotCompiledError(RuntimeError, ValueError):
    """Raised by fit, evaluate and compute_gradients before ``compile``. (A RuntimeError, as in Keras, and
    a ValueError, as nnbook's other bad-usage errors.)"""


class Sequential:
    """A stack of layers, each feeding the next, with Keras's methods.

    One training step on a batch (``fit`` runs one per iteration; see ``_train_step``) is lesson 06's::

        a = x_batch
        for layer in self.layers:                       # forward
            a = layer.forward(a)
        loss = self.loss.forward(y_batch, a)            # loss
        grad = self.loss.backward()                     # backward, from the loss ...
        for layer in reversed(self.layers):
            grad = layer.backward(grad)                 # ... through every layer
        self.optimizer.update(weights, gradients)       # update: for SGD, w <- w - learning_rate * dL/dw

    Args:
        layers: a list of :class:`nnbook.layers.Dense`; with ``input_shape=(features,)`` on the first, the
            model is built at once, else by its first data. A layer used in two models is shared: both
            train the same kernel and bias, as in Keras.
        seed: seeds the model's generator; ``None`` draws from :func:`nnbook.utils.set_random_seed`'s stream.
        name: the name ``summary()`` prints.
    """

    def __init__(self, layers=None, seed: int | None = None, name: str = "sequential"):
        self._rng = utils.new_generator(seed)
        self.name, self.layers, self.metrics = name, [], []
        self.optimizer = self.loss = self.history = None
        if layers is not None and not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of layers, got {_validate.describe(layers)}")
        for layer in layers or []:
            self.add(layer)

    def compile(self, optimizer, loss, metrics=None) -> None:
        """Choose ``optimizer`` (``"adam"``, ``"sgd"`` or e.g. ``Adam(learning_rate=0.0001)``), ``loss``
        (``"sparse_categorical_crossentropy"`` for integer labels, ``"categorical_crossentropy"`` for one-hot
        rows, ``"mse"`` or a :class:`nnbook.losses.Loss`) and ``metrics`` (None or ``["accuracy"]``)."""
        self.optimizer, self.loss = optimizers.get(optimizer), losses.get(loss)
        if not isinstance(metrics, (list, tuple, type(None))):
            raise TypeError(f"metrics must be a list such as ['accuracy'], got {_validate.describe(metrics)}")
        if any(metric not in ("accuracy", "acc") for metric in metrics or []):
            raise ValueError(f"metrics may only hold 'accuracy' (or 'acc'), got {metrics!r}")
        self.metrics = list(metrics or [])

    # ----- training: lesson 06's loop -------------------------------------------------------------------

    def fit(self, x, y, batch_size=32, epochs=1, verbose=1, callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True) -> History:
        """Train for ``epochs`` passes over (x, y) of ``ceil(n / batch_size)`` iterations; return the
        :class:`~nnbook.callbacks.History` (also ``model.history``). ``verbose``: 0 silent, 1 a bar, 2 a line
        per epoch. ``callbacks``: :class:`~nnbook.callbacks.Callback` objects. ``validation_data=(x_val,
        y_val)``, or else the LAST ``validation_split`` of the samples (taken before shuffling, as in Keras),
        is scored after each epoch as ``val_loss`` and ``val_accuracy``."""
        x, y = self._data("fit", x, y)
        batch_size, epochs = _validate.batch_size(batch_size), _validate.whole_number("epochs", epochs, minimum=1)
        shuffle, verbose = _validate.flag("shuffle", shuffle), _validate.verbose(verbose)
        if validation_data is None:
            x, y, validation = _validate.validation_split(x, y, validation_split)
        else:
            x_val, y_val = _validate.pair("validation_data", validation_data)
            validation = self._data("fit", x_val, y_val, names=("validation_data[0]", "validation_data[1]"))
        n, steps = x.shape[0], _iterations(x.shape[0], batch_size)
        callbacks = CallbackList(callbacks, model=self, params={"verbose": verbose, "epochs": epochs, "steps": steps})
        self.history = callbacks.history
        callbacks.on_train_begin()
        for epoch in range(epochs):
            callbacks.on_epoch_begin(epoch)
            order = self._rng.permutation(n) if shuffle else slice(None)      # shuffle: a new order every epoch
            x_epoch, y_epoch, means = x[order], y[order], RunningMeans(self.metrics)
            for step in range(steps):                                        # one iteration per batch
                x_batch = x_epoch[step * batch_size:(step + 1) * batch_size]
                y_batch = y_epoch[step * batch_size:(step + 1) * batch_size]
                loss, y_pred = self._train_step(x_batch, y_batch)
                means.add(loss, self._correct(y_batch, y_pred), x_batch.shape[0])
                if callbacks.batch_callbacks:             # none listen: skip building the logs, as Keras does
                    callbacks.on_train_batch_end(step, means.result())
            logs = means.result()
            if validation is not None:
                logs.update({f"val_{key}": value for key, value in self._score(*validation, batch_size).items()})
            callbacks.on_epoch_end(epoch, logs)
        callbacks.on_train_end()
        return self.history

    def _train_step(self, x: np.ndarray, y: np.ndarray):
        """One iteration on one batch: forward, loss, backward, update (lesson 06). Returns (loss, y_pred)."""
        loss, y_pred = self._forward_backward(x, y)
        self.optimizer.update(self._weights(), self._gradients())  # update: for SGD, w <- w - lr * dL/dw
        return loss, y_pred

    def _forward_backward(self, x: np.ndarray, y: np.ndarray):
        """Forward, loss and backward on one batch; each layer then holds its grad_kernel and grad_bias."""
        a = x
        for layer in self.layers:                       # forward
            a = layer.forward(a)
        loss = self.loss.forward(y, a)                  # loss
        grad = self.loss.backward()                     # backward, from the loss ...
        for layer in reversed(self.layers):
            grad = layer.backward(grad)                 # ... through every layer (lesson 05)
        return loss, a

    def _weights(self) -> list[np.ndarray]:
        """The layers' own weight arrays (not copies), Keras's order: ``[kernel_0, bias_0, kernel_1, ...]``."""
        return [w for layer in self.layers for w in (layer.kernel, layer.bias)]

    def _gradients(self) -> list[np.ndarray]:
        """dL/dw from the last backward pass, in the order of ``_weights()``."""
        return [g for layer in self.layers for g in (layer.grad_kernel, layer.grad_bias)]

    def compute_gradients(self, x, y):
        """Backpropagation on one batch, updating nothing: ``(loss, grads)``, grads in ``get_weights()``
        order ``[dL/dW0, dL/db0, dL/dW1, ...]``."""
        x, y = self._data("compute_gradients", x, y)
        loss, _ = self._forward_backward(x, y)
        return loss, [g.copy() for g in self._gradients()]

    # ----- evaluate, predict ----------------------------------------------------------------------------

    def _forward(self, x: np.ndarray) -> np.ndarray:
        """The forward pass: each layer's output is the next layer's input."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def evaluate(self, x, y, batch_size=32, verbose=1):
        """The compiled loss on (x, y) in batches, as Keras computes it; ``[loss, accuracy]`` with metrics."""
        x, y = self._data("evaluate", x, y)
        batch_size = _validate.batch_size(batch_size)
        scores = logged(lambda: self._score(x, y, batch_size), _validate.verbose(verbose),
                        _iterations(len(x), batch_size))
        values = [scores["loss"]] + [scores[metric] for metric in self.metrics]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=32, verbose=0) -> np.ndarray:
        """The outputs for x (n, features), an (n, units) array; quiet unless ``verbose`` is 1 or 2."""
        x, batch_size = self._data("predict", x), _validate.batch_size(batch_size)
        outputs = logged(lambda: [self._forward(x[i:i + batch_size]) for i in range(0, len(x), batch_size)],
                         _validate.verbose(verbose), _iterations(len(x), batch_size))
        return np.concatenate(outputs) if outputs else np.empty((0, self.layers[-1].units))

    def _score(self, x, y, batch_size) -> dict:
        """Loss and metrics over (x, y) in batches: batch-size-weighted means."""
        means = RunningMeans(self.metrics)
        for start in range(0, x.shape[0], batch_size):
            x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]
            y_pred = self._forward(x_batch)
            means.add(self.loss.forward(y_batch, y_pred), self._correct(y_batch, y_pred), x_batch.shape[0])
        return means.result()

    def _correct(self, y_true, y_pred) -> int:
        return count_correct(y_true, y_pred, self.loss.sparse) if self.metrics else 0

    # ----- building and checking -------------------------------------------------------------------------

    def add(self, layer: Dense) -> None:
        """Append a layer (Keras's ``model.add``); a layer that already has weights keeps them."""
        if not isinstance(layer, Dense):
            raise TypeError(f"layers must be nnbook Dense layers, got {_validate.describe(layer)}")
        if any(layer is other for other in self.layers):
            raise ValueError("the same layer object appears twice in the model: create a new Dense for each")
        previous = self.layers[-1] if self.layers else None
        if previous is not None and layer.input_dim is not None and layer.input_dim != previous.units:
            raise ValueError(f"input_shape=({layer.input_dim},) of the new layer does not match the "
                             f"{previous.units} units of the layer before it")
        layer.name = layer.name or ("dense" if not self.layers else f"dense_{len(self.layers)}")
        self.layers.append(layer)
        if self.layers[0].input_dim is not None:
            self._build(self.layers[0].input_dim)

    @property
    def built(self) -> bool:
        """True once every layer has its weights."""
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def _build(self, input_dim: int) -> None:
        """Give every layer not yet built its kernel and bias, drawn in order from the model's generator."""
        for layer in self.layers:
            layer.build(input_dim, self._rng)
            input_dim = layer.units

    def count_params(self) -> int:
        """The number of weights: the sum over layers of ``in * units + units``."""
        return sum(layer.count_params() for layer in self._built("count_params").layers)

    def _data(self, method, x, y=None, names=("x", "y")):
        """x (and y) checked for this model, once per call; the model is built on the first data it sees."""
        if y is not None and self.loss is None:
            raise NotCompiledError(f"call model.compile(optimizer=..., loss=...) before model.{method}()")
        if not self.layers:
            raise ValueError("the model has no layers: pass a list of Dense layers to Sequential")
        if not self.built:
            self._build(_validate.float_array(names[0], x, ndim=2).shape[1])
        return _validate.check_x_y(names, x, y, features=self.layers[0].input_dim, units=self.layers[-1].units,
                                   loss=self.loss)

    def _built(self, method) -> Sequential:
        if not self.built:
            raise ValueError(f"the model is not built yet, so it has no weights for {method}(): give the first "
                             f"layer input_shape=(features,), or call fit or predict on data first")
        return self

    # ----- weights and summary --------------------------------------------------------------------------

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight array, Keras's order: ``[W0, b0, W1, b1, ...]``, kernels (in, out)."""
        return [w for layer in self._built("get_weights").layers for w in layer.get_weights()]

    def set_weights(self, weights) -> None:
        """Copy a list ``[W0, b0, W1, b1, ...]`` (shapes as ``get_weights()``) into the model."""
        set_arrays("weights", self._built("set_weights")._weights(), weights)

    def summary(self) -> None:
        """Print the layers, their output shapes and weight counts, and the totals, like Keras."""
        rows = [(f"{layer.name} (Dense)", f"(None, {layer.units})", f"{layer.count_params():,}")
                for layer in self._built("summary").layers]
        nbytes = sum(w.nbytes for w in self._weights())
        print(summary_table(self.name, rows, self.count_params(), nbytes))

    def __repr__(self) -> str:
        params = f", {self.count_params()} params" if self.built else ""
        return f"<Sequential {self.name!r}: {len(self.layers)} layers{params}>"


def _iterations(n_samples: int, batch_size: int) -> int:
    """Iterations per epoch: ``ceil(n_samples / batch_size)``, the last batch taking what is left (lesson 06)."""
    return math.ceil(n_samples / batch_size)
