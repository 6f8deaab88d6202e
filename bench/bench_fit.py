"""Benchmark: the course's Keras run fitted by nnbook, against a tight hand-written numpy loop.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_fit.py``; add ``--quick`` to skip the scaling
runs). Not a test: it prints figures, and exits non-zero only when nnbook and its floor compute different
things (their histories disagree), since then the ratio measures nothing.

Two models, both trained on ``drug_trial(seed=0)`` (2100 samples) with Dense 16 relu - Dense 32 relu -
Dense 2 <output>, sparse categorical cross-entropy, Adam(learning_rate=0.0001), batch 10, 20 epochs,
shuffled, accuracy reported:

- ``sigmoid``: the source's model, as the course's Keras run builds it;
- ``softmax``: the model lessons 08-10 train. nnbook runs lesson 05's steps (the loss's backward,
  -1/(n a[y]) at the label, then the softmax's backward); its floor fuses them into
  dL/dz = (probabilities - one_hot(labels)) / n at the softmax's input, the same numbers to rounding.

1. For each model, nnbook against its floor:
   - nnbook: ``Sequential.fit`` exactly as a lesson calls it (verbose=0): lesson 06's loop, each layer
     owning its arrays, the optimizer looping over (weight, gradient) pairs.
   - floor: the same model, the same arithmetic and the same per-epoch loss and accuracy, written as one
     tight function with preallocated buffers and nothing but numpy calls: the fastest plain numpy can
     do this run here. Both start from the same weights (the floor draws them itself, by the documented
     glorot-uniform rule, and the script checks they are nnbook's) and use the same shuffles, so their
     histories must agree to rounding; the script checks it.
   Both are timed in the same run, interleaved, best of several repeats; the figure is the ratio, and the
   goal is within 2x: the library runs the lessons' code rather than the fastest code (issue 22). Times
   are the process's CPU time (``time.process_time``), which other users of a shared machine disturb far
   less than wall-clock time; the wall-clock time is printed beside it.
2. Scaling: fit time at 1x, 4x and 16x the samples (20 epochs each), nnbook and floor interleaved; time
   per sample should stay flat (fit is linear in the data). The floor's own growth is printed beside
   nnbook's: growth the floor shares comes from numpy and the machine (the per-epoch shuffle's copy,
   caches), growth it lacks comes from nnbook.

For scale, measured on the course's 2-core machine: Keras 3 on TensorFlow about 23 s for the sigmoid run,
a PyTorch eager loop about 9 s.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

# The repo root last: the installed (editable) nnbook or PYTHONPATH=/some/copy wins; the root serves a bare
# checkout with nothing installed.
sys.path.append(str(Path(__file__).resolve().parent.parent))

import nnbook  # noqa: E402
from nnbook.data import drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402

EPOCHS, BATCH, LEARNING_RATE, SEED = 20, 10, 0.0001, 0
LAYER_SIZES = (1, 16, 32, 2)
OUTPUTS = ("sigmoid", "softmax")
RATIO_GOAL, GROWTH_GOAL, AGREEMENT = 2.0, 1.15, 1e-9     # nnbook / floor; 16x / 1x per sample; relative
REPEATS = 7                                              # best of, for the 1x comparison
SCALES = ((4, 3), (16, 2))                               # (factor, best of) for the scaling runs


def nnbook_model(output: str) -> Sequential:
    model = Sequential([
        Dense(units=16, input_shape=(1,), activation="relu"),
        Dense(units=32, activation="relu"),
        Dense(units=2, activation=output),
    ], seed=SEED)
    model.compile(optimizer=Adam(learning_rate=LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def initial_state(seed=SEED):
    """The generator and initial weights as nnbook documents them: ``default_rng(seed)`` draws each layer's
    glorot-uniform kernel in turn (biases zero); the same generator then shuffles, once per epoch."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        weights += [rng.uniform(-limit, limit, size=(fan_in, fan_out)), np.zeros(fan_out)]
    return rng, weights


def floor_fit(weights, x, labels, rng, softmax: bool, epochs=EPOCHS, batch_size=BATCH, lr=LEARNING_RATE):
    """The same training as nnbook's fit, hand-fused: preallocated flat vectors, in-place updates.

    ``softmax=False``: a sigmoid output, the loss's gradient taken through the row sum and the sigmoid.
    ``softmax=True``: a softmax output, dL/dz = (p - one_hot(labels)) / n at once. Either way a row whose
    label probability the clip holds (outside [1e-7, 1 - 1e-7]) passes no gradient.
    """
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
            a3 = a2 @ W3 + b3
            if softmax:                             # exp(z - max z) / row sum: the rows are p
                a3 -= a3.max(axis=1, keepdims=True)
                np.exp(a3, out=a3)
                a3 /= a3.sum(axis=1, keepdims=True)
                p = a3[rows, yb]
            else:                                   # sigmoid: exp(-log(1 + exp(-z))); p = a3 / row sum
                np.negative(a3, out=a3)
                np.logaddexp(0.0, a3, out=a3)
                np.negative(a3, out=a3)
                np.exp(a3, out=a3)
                totals = a3.sum(axis=1, keepdims=True)
                y_label = a3[rows, yb]
                p = y_label / totals[:, 0]
            # loss, accuracy and dL/dz at the output layer
            loss_sum += float((-np.log(np.clip(p, eps, 1 - eps))).mean()) * nb
            correct += int(np.count_nonzero(a3.argmax(axis=1) == yb))
            inside = (p > eps) & (p < 1 - eps)
            if softmax:
                grad = a3.copy()
                grad[rows, yb] -= 1.0                # p - one_hot(labels)
            else:
                grad = np.ones_like(a3) / totals     # dL/da3 = 1/S - [label] / a3_label ...
                grad[rows, yb] -= 1.0 / np.where(inside, y_label, 1.0)
            grad *= inside[:, None]
            grad /= nb
            if not softmax:
                grad *= a3                          # ... times the sigmoid's slope a3 (1 - a3)
                grad *= 1.0 - a3
            # backward
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


# ----- timing -------------------------------------------------------------------------------------------

def clocks():
    return time.process_time(), time.perf_counter()


def elapsed(start):
    cpu, wall = clocks()
    return cpu - start[0], wall - start[1]


def run_nnbook(output, x, labels):
    model = nnbook_model(output)
    start = clocks()
    history = model.fit(x, labels, batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=0)
    return elapsed(start), history.history, model.get_weights()


def run_floor(output, x, labels):
    rng, weights = initial_state()
    start = clocks()
    history, final = floor_fit(weights, x, labels, rng, softmax=output == "softmax")
    return elapsed(start), history, final


def largest_gap(a, b, relative=True):
    """The largest difference between matching numbers of two histories (dicts of lists) or weight lists;
    relative: divided by the larger magnitude of the two. Missing or misshapen entries count as infinite."""
    pairs = [(a.get(key), b[key]) for key in b] if isinstance(b, dict) else list(zip(a, b))
    gaps = []
    for p, q in pairs:
        p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
        if p.shape != q.shape:
            return math.inf
        scale = np.maximum(np.maximum(np.abs(p), np.abs(q)), np.finfo(float).tiny) if relative else 1.0
        gaps.append(float(np.max(np.abs(p - q) / scale, initial=0.0)))
    return max(gaps, default=0.0) if len(pairs) == len(b) else math.inf


def measure(output, data, repeats):
    """nnbook's fit and the floor on ``data``, interleaved ``repeats`` times. Returns a dict of the best
    (CPU, wall) times, the median CPU times, the last histories and whether they agree."""
    times, last = {"nnbook": [], "floor": []}, {}
    for _ in range(repeats):                       # interleaved, so both see the same machine load
        for name, run in (("nnbook", run_nnbook), ("floor", run_floor)):
            seconds, *last[name] = run(output, data.x, data.labels)      # [history, final weights]
            times[name].append(seconds)
    (h_nn, w_nn), (h_fl, w_fl) = last["nnbook"], last["floor"]
    history_gap = largest_gap(h_nn, h_fl)
    return {"best": {name: min(t, key=lambda c: c[0]) for name, t in times.items()},
            "median": {name: float(np.median([c for c, _ in t])) for name, t in times.items()},
            "history_gap": history_gap, "weight_gap": largest_gap(w_nn, w_fl, relative=False),
            "agree": set(h_nn) == set(h_fl) and history_gap <= AGREEMENT, "final": h_nn}


def report_agreement(output, factor, result) -> bool:
    if result["agree"]:
        return True
    print(f"  !!!! {output} at {factor}x: nnbook and floor DISAGREE (largest relative history difference "
          f"{result['history_gap']:.1e} > {AGREEMENT:.0e}): the floor measures a different computation !!!!")
    return False


def compare(output, data) -> tuple[dict, bool]:
    """Part 1 for one model: times, ratio and agreement at 1x."""
    result = measure(output, data, REPEATS)
    final = result["final"]
    print(f"[{output}] Dense 16 relu - Dense 32 relu - Dense 2 {output}")
    print(f"  final epoch (nnbook): loss {final['loss'][-1]:.4f}, accuracy {final['accuracy'][-1]:.4f}")
    print(f"  largest history difference nnbook vs floor: {result['history_gap']:.1e} relative "
          f"(must be <= {AGREEMENT:.0e}); largest weight difference {result['weight_gap']:.1e}")
    agree = report_agreement(output, 1, result)
    for name, label in (("floor", "floor (hand-fused numpy loop)"), ("nnbook", "nnbook Sequential.fit")):
        cpu, wall = result["best"][name]
        print(f"  {label:30s} best {cpu:.3f} s CPU ({wall:.3f} s wall) of {REPEATS}, "
              f"median {result['median'][name]:.3f} s CPU")
    ratio = result["best"]["nnbook"][0] / result["best"]["floor"][0]
    print(f"  RATIO {output} nnbook / floor: {ratio:.2f}x  (goal <= {RATIO_GOAL}x: "
          f"{'met' if ratio <= RATIO_GOAL else 'MISSED'})")
    return result, agree


def scaling(output, base) -> bool:
    """Part 2 for one model: time per sample at 1x (from part 1), 4x and 16x, nnbook and floor."""
    print(f"[{output}] scaling, {EPOCHS} epochs, batch {BATCH}, best CPU time (floor beside):")
    agree, first, per_sample = True, None, {}
    for factor, repeats in ((1, None),) + SCALES:
        data = drug_trial(SEED, typical=1000 * factor, exceptions=50 * factor)
        result = base if factor == 1 else measure(output, data, repeats)
        agree &= factor == 1 or report_agreement(output, factor, result)
        per_sample = {name: result["best"][name][0] / data.x.shape[0] for name in ("nnbook", "floor")}
        first = first or per_sample
        print(f"  {factor:2d}x {data.x.shape[0]:6d} samples  nnbook {result['best']['nnbook'][0]:6.3f} s "
              f"{per_sample['nnbook'] * 1e6:6.1f} us/sample ({per_sample['nnbook'] / first['nnbook']:.2f}x)  "
              f"floor {per_sample['floor'] * 1e6:6.1f} us/sample ({per_sample['floor'] / first['floor']:.2f}x)")
    growth = per_sample["nnbook"] / first["nnbook"]
    print(f"  GROWTH {output} nnbook time per sample 16x / 1x: {growth:.2f}x  (goal <= {GROWTH_GOAL}x: "
          f"{'met' if growth <= GROWTH_GOAL else 'MISSED'}; the floor's: "
          f"{per_sample['floor'] / first['floor']:.2f}x)")
    return agree


def main() -> int:
    quick = "--quick" in sys.argv
    data = drug_trial(SEED)
    print(f"nnbook fit vs a hand-fused numpy floor: {data.x.shape[0]} samples, {EPOCHS} epochs, batch {BATCH}, "
          f"{math.ceil(data.x.shape[0] / BATCH) * EPOCHS} steps, Adam(learning_rate={LEARNING_RATE}), "
          f"sparse categorical cross-entropy; nnbook from {Path(nnbook.__file__).parent}")
    print(f"Goals: nnbook CPU time within {RATIO_GOAL}x of its floor's, for each output layer; time per sample "
          f"at 16x the data within {GROWTH_GOAL}x of 1x; histories agree with the floor to {AGREEMENT:.0e} "
          f"relative (else the floor times something else and the script fails).")
    first_weights = nnbook_model("sigmoid").get_weights()
    agree = largest_gap(first_weights, initial_state()[1], relative=False) <= AGREEMENT
    if not agree:
        print("  !!!! nnbook's initial weights are not the documented glorot-uniform draw from "
              "default_rng(seed): the floor starts elsewhere !!!!")
    results = {}
    for output in OUTPUTS:
        results[output], agreed = compare(output, data)
        agree &= agreed
    if not quick:
        for output in OUTPUTS:
            agree &= scaling(output, results[output])
    if not agree:
        print("FAILED: nnbook and the floor disagree (see the lines marked !!!!)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
