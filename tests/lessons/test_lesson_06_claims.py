"""Lesson 06's claims (issue 9): the training loop drawn as a diagram with the run's numbers, the loss and
accuracy curves drawn once, and the numbers the text around them rests on."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from notebook_helpers import COURSE, code_cells, load, markdown_text, source  # noqa: E402

from nnbook.data import drug_trial  # noqa: E402
from nnbook.lessons import diagrams  # noqa: E402
from nnbook.lessons import training_widgets as tw  # noqa: E402

LESSON = COURSE / "06_training_loop.ipynb"


def pictures():
    return [cell for cell in code_cells(LESSON)
            if any("image/png" in output.get("data", {}) for output in cell["outputs"])]


def test_the_loop_diagram_is_drawn_with_the_runs_numbers():
    (cell,) = [cell for cell in pictures() if "training_loop_diagram" in source(cell)]
    assert "samples=n, batch_size=batch_size, learning_rate=learning_rate" in source(cell)
    n = len(drug_trial(seed=0).x)
    fig = diagrams.training_loop_diagram(samples=n, batch_size=10, learning_rate=0.01)
    texts = {text.get_gid(): text.get_text() for text in fig.axes[0].texts}
    assert f"{n} samples" in texts["detail:data"] and f"({math.ceil(n / 10)} per epoch)" in texts["label:update->batch"]
    plt.close(fig)


def test_the_loss_and_accuracy_curves_are_drawn_once():
    drawn = pictures()
    assert len(drawn) == 2                                   # the diagram and the finished run's figure
    assert sum("training_figure" in source(cell) for cell in drawn) == 1
    assert not any("plt.subplots" in source(cell) for cell in code_cells(LESSON))


def test_the_faint_line_is_a_running_mean_over_a_tenth_of_an_epoch():
    trial = drug_trial(seed=0)
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=0, learning_rate=0.01, batch_size=10)
    trainer.run(1)
    window = trainer.iterations_per_epoch // 10
    fig = tw.training_figure(trainer, max_epochs=20)
    assert any(f"mean of {window}" in line.get_label() for line in fig.axes[0].get_lines())
    plt.close(fig)
    assert window == 21 and trainer.iterations_per_epoch == 210
    assert (f"running mean over {window} batches (a tenth of an\nepoch)" in markdown_text(load(LESSON))
            or f"running mean over {window} batches (a tenth of an epoch)" in markdown_text(load(LESSON)))


def test_grouped_the_first_100_batches_hold_only_label_0():
    grouped = drug_trial(seed=0, shuffle=False)
    assert grouped.labels[:100 * 10].sum() == 0 and grouped.labels[100 * 10] == 1
    assert "the first 100 iterations would all say" in markdown_text(load(LESSON))
