"""Benchmark: how long each interactive cell takes to answer a control, in the kernel (before the browser).

Run with ``make bench`` (or ``.venv/bin/python bench/bench_widgets.py``). Not a test: it prints figures and
always exits 0; the tests check what the widgets show, this script how fast they show it.

For each explorer of lessons 00-05 and 09 it drives one control the way a learner's drag does, setting the
control's ``.value`` to each value of a sweep (observers run at once, as they do in a kernel), and times each
update: the report, the figure moved in place and encoded to PNG, the readout and the picture handed to their
widgets. For lesson 06's live training it times each frame (one epoch trained, then the curves and the network
redrawn) and the epochs a second that makes. After two warm-up updates that are not counted, it prints the
median and the worst update in ms of wall-clock time (what a learner waits) and the median CPU time of the
process (what the update costs; other users of a shared machine inflate it far less than the wall clock).

Goals (issue 10): every explorer at or under 50 ms median; the live training at 10 or more epochs a second.
The goals are judged on CPU time, so that a busy machine does not fail them; the load average is printed
first: on an idle machine wall clock and CPU time agree.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

# The repo root last: the installed (editable) nnbook or PYTHONPATH=/some/copy wins (see bench_fit.py).
sys.path.append(str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from nnbook.data import drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import inference, widgets  # noqa: E402
from nnbook.lessons import training_widgets as tw  # noqa: E402
from nnbook.models import Sequential  # noqa: E402

EXPLORER_GOAL_MS, EPOCHS_GOAL = 50.0, 10.0
WARM_UP = 2
LIVE_EPOCHS = 30


def sweep(control, count: int = 40) -> list:
    """``count`` values across the control's range, each different from the one before (so each fires)."""
    if hasattr(control, "options") and len(getattr(control, "options", ())) > 0:
        options = [option[1] if isinstance(option, tuple) else option for option in control.options]
        values = [options[i % len(options)] for i in range(count + 1)]
    else:
        values = list(np.linspace(control.min, control.max, count + 1))
        if isinstance(control.value, int):
            values = [int(round(v)) for v in values]
        else:
            step = control.step or 0.01
            values = [round(round(v / step) * step, 10) for v in values]
    out, last = [], control.value
    for value in values:
        if value != last:
            out.append(value)
            last = value
    return out


def timed(action) -> tuple[float, float]:
    """(wall ms, CPU ms) that ``action()`` took."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def time_control(control, values) -> list[tuple[float, float]]:
    """Set ``control.value`` to each value in turn; (wall ms, CPU ms) each assignment took, observers included."""
    return [timed(lambda: setattr(control, "value", value)) for value in values][WARM_UP:]


def line(name: str, times: list[tuple[float, float]], goal: float = EXPLORER_GOAL_MS) -> bool:
    wall = [w for w, _ in times]
    cpu = statistics.median(c for _, c in times)
    ok = cpu <= goal
    print(f"  {name:44s} median {statistics.median(wall):6.1f} ms  worst {max(wall):6.1f} ms  "
          f"CPU median {cpu:6.1f} ms  ({len(times)} updates){'' if ok else '  !! over ' + format(goal, 'g') + ' ms'}")
    return ok


def controls_of(box) -> list:
    """An explorer's controls: ``box.children[0]`` holds them (see nnbook.lessons.widgets)."""
    return list(box.children[0].children)


def tiny_model(seed: int = 3) -> tuple[Sequential, np.ndarray, np.ndarray]:
    """Lesson 05's kind of network, 1-2-2, with random weights, and a batch of 12 people."""
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(seed)
    model.set_weights([w + rng.normal(0, 0.3, w.shape) for w in model.get_weights()])
    trial = drug_trial(seed=2)
    return model, trial.x[:12], trial.labels[:12]


def trained_model() -> Sequential:
    """A drug-trial network trained for a few epochs, as lesson 09's slider needs."""
    trial = drug_trial(seed=0)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(trial.x, trial.labels, batch_size=10, epochs=3, verbose=0)
    return model


def explorers() -> bool:
    print("[explorers] one update = the control's new value -> report, figure moved in place, PNG, widgets")
    ok = True
    box = widgets.hello_slider(5)
    ok &= line("00 hello_slider: n", time_control(controls_of(box)[0], sweep(controls_of(box)[0], 12)))
    box = widgets.tiny_net_explorer()
    ok &= line("01 tiny_net_explorer: w_cat", time_control(controls_of(box)[0], sweep(controls_of(box)[0])))
    box = widgets.one_hot_explorer()
    ok &= line("02 one_hot_explorer: class", time_control(controls_of(box)[0], sweep(controls_of(box)[0], 12)))
    box = widgets.sse_explorer()
    for slider in controls_of(box):
        ok &= line(f"03 sse_explorer: {slider.description}", time_control(slider, sweep(slider)))
    box = widgets.update_explorer()
    w_slider, lr_slider = controls_of(box)
    ok &= line("04 update_explorer: W", time_control(w_slider, sweep(w_slider)))
    ok &= line("04 update_explorer: learning rate", time_control(lr_slider, sweep(lr_slider, 26)))
    box = widgets.learning_rate_explorer()
    lr_slider, steps_slider = controls_of(box)
    ok &= line("04 learning_rate_explorer: learning rate", time_control(lr_slider, sweep(lr_slider, 26)))
    ok &= line("04 learning_rate_explorer: steps", time_control(steps_slider, sweep(steps_slider, 29)))
    model, x, y = tiny_model()
    explorer = tw.NudgeExplorer(model, x, y, parameter="W2[0,1]", amount=0.1)
    ok &= line("05 NudgeExplorer: nudge", time_control(explorer.amount, sweep(explorer.amount)))
    ok &= line("05 NudgeExplorer: weight", time_control(explorer.parameter, sweep(explorer.parameter, 20)))
    slider = inference.AgeSlider(trained_model(), age=70)
    ok &= line("09 AgeSlider: age", time_control(slider.age, sweep(slider.age)))
    return ok


def live_training() -> bool:
    trial = drug_trial(seed=0)
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=0, learning_rate=0.01, batch_size=10)
    live = tw.LiveTrainingWidget(trainer, max_epochs=LIVE_EPOCHS)
    print(f"[live training] lesson 06: {trial.x.shape[0]} samples, batch 10, "
          f"{trainer.iterations_per_epoch} iterations an epoch; one frame = one epoch trained + the picture")
    def tick():                           # what Play does: its value counts up one epoch per tick
        live.play.value += 1

    frames = [timed(tick) for _ in range(LIVE_EPOCHS)]
    trainer.reset()
    epochs_only = [timed(trainer.step) for _ in range(LIVE_EPOCHS)]
    line("frame (epoch + pictures)", frames, goal=1000 / EPOCHS_GOAL)
    line("epoch alone (trainer.step)", epochs_only, goal=float("inf"))
    wall_rate = LIVE_EPOCHS * 1000 / sum(w for w, _ in frames)
    cpu_rate = LIVE_EPOCHS * 1000 / sum(c for _, c in frames)
    ok = cpu_rate >= EPOCHS_GOAL
    print(f"  EPOCHS A SECOND {wall_rate:.1f} by the wall clock, {cpu_rate:.1f} by CPU time, over {LIVE_EPOCHS} "
          f"epochs (goal >= {EPOCHS_GOAL:g}{'' if ok else ': !! below the goal'}); the Play control ticks every "
          f"{live.play.interval} ms")
    return ok


def main() -> int:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"Widget updates in the kernel, wall clock; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} cores.")
    print(f"Goals: every explorer <= {EXPLORER_GOAL_MS:g} ms median; live training >= {EPOCHS_GOAL:g} epochs a second.")
    ok = explorers()
    ok &= live_training()
    print("all goals met" if ok else "some goals missed (marked !!); on a busy machine, run it again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
