"""Benchmark: the course's Keras run fitted by nnbook, against a tight hand-written numpy loop.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_fit.py``; add ``--quick`` to skip the scaling
runs). Not a test: it prints figures.

1. The source's run: 2100 samples, Dense 16 relu - Dense 32 relu - Dense 2 sigmoid, sparse categorical
   cross-entropy, Adam(learning_rate=0.0001), batch 10, 20 epochs, shuffled, accuracy reported.
   - nnbook: ``Sequential.fit`` exactly as a lesson calls it (verbose=0).
   - floor: the same model, the same arithmetic and the same per-epoch loss and accuracy, written as one
     tight function with preallocated buffers and nothing but numpy calls: the fastest plain numpy can
     do this run here. Both start from the same weights and use the same shuffles, so their histories
     must agree; the script checks it.
   Both are timed in the same run, interleaved, best of several repeats; the figure is the ratio. Times
   are the process's CPU time (``time.process_time``), which other users of a shared machine disturb far
   less than wall-clock time; the wall-clock time is printed beside it.
2. Scaling: nnbook's fit time at 1x, 4x and 16x the samples (20 epochs each); time per sample should stay
   flat (fit is linear in the data).

Targets on the course's 2-core machine: nnbook within 1.3x of the floor and under 1.5 s for the run.
For scale, measured on that machine: Keras 3 on TensorFlow about 23 s, a PyTorch eager loop about 9 s.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nnbook.data import drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402

EPOCHS, BATCH, LEARNING_RATE, SEED = 20, 10, 0.0001, 0


def seed_model(seed=SEED):
    model = Sequential([
        Dense(units=16, input_shape=(1,), activation="relu"),
        Dense(units=32, activation="relu"),
        Dense(units=2, activation="sigmoid"),
    ], seed=seed)
    model.compile(optimizer=Adam(learning_rate=LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def floor_fit(weights, x, labels, rng, epochs=EPOCHS, batch_size=BATCH, lr=LEARNING_RATE):
    """The same training as nnbook's fit, hand-fused: preallocated flat vectors, in-place updates."""
    eps, beta_1, beta_2, adam_eps = 1e-7, 0.9, 0.999, 1e-7
    sizes = [w.size for w in weights]
    params = np.concatenate([w.ravel() for w in weights])
    grads = np.zeros_like(params)
    m, v = np.zeros_like(params), np.zeros_like(params)
    offsets = np.cumsum([0] + sizes)
    W = [params[a:b].reshape(w.shape) for a, b, w in zip(offsets[:-1], offsets[1:], weights)]
    G = [grads[a:b].reshape(w.shape) for a, b, w in zip(offsets[:-1], offsets[1:], weights)]
    W1, b1, W2, b2, W3, b3 = W
    gW1, gb1, gW2, gb2, gW3, gb3 = G
    n = x.shape[0]
    steps = math.ceil(n / batch_size)
    all_rows = np.arange(batch_size)
    history = {"accuracy": [], "loss": []}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        xs, ys = x[order], labels[order]
        loss_sum, correct = 0.0, 0
        for step in range(steps):
            xb = xs[step * batch_size:(step + 1) * batch_size]
            yb = ys[step * batch_size:(step + 1) * batch_size]
            nb = yb.shape[0]
            rows = all_rows[:nb]
            # forward
            a1 = xb @ W1 + b1
            np.maximum(a1, 0.0, out=a1)
            a2 = a1 @ W2 + b2
            np.maximum(a2, 0.0, out=a2)
            a3 = a2 @ W3 + b3                       # sigmoid: exp(-log(1 + exp(-z)))
            np.negative(a3, out=a3)
            np.logaddexp(0.0, a3, out=a3)
            np.negative(a3, out=a3)
            np.exp(a3, out=a3)
            # loss, accuracy and dL/da3, sharing the row sums
            totals = a3.sum(axis=1, keepdims=True)
            y_label = a3[rows, yb]
            p = y_label / totals[:, 0]
            loss_sum += float((-np.log(np.clip(p, eps, 1 - eps))).mean()) * nb
            correct += int(np.count_nonzero(a3.argmax(axis=1) == yb))
            inside = (p > eps) & (p < 1 - eps)
            grad = np.ones_like(a3) / totals
            grad[rows, yb] -= 1.0 / np.where(inside, y_label, 1.0)
            grad *= inside[:, None]
            grad /= nb
            # backward
            grad *= a3
            grad *= 1.0 - a3
            np.matmul(a2.T, grad, out=gW3)
            grad.sum(axis=0, out=gb3)
            d2 = grad @ W3.T
            d2 *= a2 > 0
            np.matmul(a1.T, d2, out=gW2)
            d2.sum(axis=0, out=gb2)
            d1 = d2 @ W2.T
            d1 *= a1 > 0
            np.matmul(xb.T, d1, out=gW1)
            d1.sum(axis=0, out=gb1)
            # Adam over the flat vector
            t += 1
            alpha = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
            m += (grads - m) * (1 - beta_1)
            v += (grads * grads - v) * (1 - beta_2)
            params -= alpha * m / (np.sqrt(v) + adam_eps)
        history["loss"].append(loss_sum / n)
        history["accuracy"].append(correct / n)
    return history, [w.copy() for w in W]


def clocks():
    return time.process_time(), time.perf_counter()


def elapsed(start):
    cpu, wall = clocks()
    return cpu - start[0], wall - start[1]


def time_nnbook(x, labels):
    model = seed_model()
    start = clocks()
    history = model.fit(x, labels, batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=0)
    return elapsed(start), history.history, model.get_weights()


def time_floor(x, labels):
    model = seed_model()               # the same initial weights and the same generator state as nnbook's
    rng = np.random.default_rng()
    rng.bit_generator.state = model._rng.bit_generator.state
    weights = model.get_weights()
    start = clocks()
    history, final = floor_fit(weights, x, labels, rng)
    return elapsed(start), history, final


def main(repeats: int = 7):
    data = drug_trial(0)
    x, labels = data.x, data.labels
    print(f"The source's run: {x.shape[0]} samples, {EPOCHS} epochs, batch {BATCH}, "
          f"{math.ceil(x.shape[0] / BATCH) * EPOCHS} steps, Adam(learning_rate={LEARNING_RATE})")

    nnbook_times, floor_times = [], []
    for _ in range(repeats):                       # interleaved, so both see the same machine load
        t_nn, h_nn, w_nn = time_nnbook(x, labels)
        t_fl, h_fl, w_fl = time_floor(x, labels)
        nnbook_times.append(t_nn)
        floor_times.append(t_fl)
    history_gap = max(abs(a - b) for key in h_fl for a, b in zip(h_nn[key], h_fl[key]))
    weight_gap = max(float(np.max(np.abs(a - b))) for a, b in zip(w_nn, w_fl))
    print(f"  final epoch (nnbook): loss {h_nn['loss'][-1]:.4f}, accuracy {h_nn['accuracy'][-1]:.4f}")
    print(f"  nnbook and floor agree: largest history difference {history_gap:.1e}, "
          f"largest weight difference {weight_gap:.1e}")
    (cpu_nn, wall_nn), (cpu_fl, wall_fl) = (min(t, key=lambda c: c[0]) for t in (nnbook_times, floor_times))
    for label, (cpu, wall), times in (("floor (hand-written numpy loop)", (cpu_fl, wall_fl), floor_times),
                                      ("nnbook Sequential.fit", (cpu_nn, wall_nn), nnbook_times)):
        print(f"  {label:32s} best {cpu:.3f} s CPU ({wall:.3f} s wall) of {repeats}, "
              f"median {np.median([c for c, _ in times]):.3f} s CPU")
    ratio = cpu_nn / cpu_fl
    print(f"  ratio nnbook / floor: {ratio:.2f}x (target <= 1.3x); nnbook "
          f"{'under' if wall_nn < 1.5 else 'OVER'} the 1.5 s target")

    if "--quick" in sys.argv:
        return
    print("Scaling (nnbook fit, 20 epochs, batch 10, best CPU time):")
    base = None
    for factor, runs in ((1, 5), (4, 3), (16, 2)):
        big = drug_trial(0, typical=1000 * factor, exceptions=50 * factor)
        seconds = min(time_nnbook(big.x, big.labels)[0][0] for _ in range(runs))
        per_sample = seconds / big.x.shape[0]
        base = per_sample if base is None else base
        print(f"  {factor:2d}x  {big.x.shape[0]:6d} samples  {seconds:7.3f} s  "
              f"{per_sample * 1e6:6.1f} us/sample  ({per_sample / base:.2f}x the 1x time per sample)")


if __name__ == "__main__":
    main()
