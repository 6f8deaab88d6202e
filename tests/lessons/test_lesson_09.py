"""Lesson 09's claims (issue 9): the inference picture shows this run's numbers for a person of 70, the scaling's
13 and 100 are the training data's youngest and oldest, and the dashed line the text names is in the figure."""

import functools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from notebook_helpers import COURSE, code_cells, load, markdown_text, source, stored_text  # noqa: E402

from nnbook.data import AGE_MAX, AGE_MIN, AGE_OLDER, TRIAL_CLASSES, drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import diagrams, inference  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402

LESSON = COURSE / "09_inference.ipynb"


@functools.lru_cache(maxsize=None)
def lesson_model():
    """The lesson's run: the source's model with a softmax output, seed 1, Adam 1e-4, batches of 10, 20 epochs."""
    trial = drug_trial(seed=0)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=1)
    model.compile(optimizer=Adam(learning_rate=0.0001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(trial.x, trial.labels, batch_size=10, epochs=20, verbose=0)
    return model


def test_the_scaling_numbers_are_the_training_datas_youngest_and_oldest():
    ages = drug_trial(seed=0).ages
    assert (ages.min(), ages.max()) == (AGE_MIN, AGE_MAX) == (13, 100)
    assert f"training data: youngest {ages.min()}, oldest {ages.max()}" in stored_text(LESSON)


def test_the_inference_picture_shows_the_runs_numbers_for_70():
    model = lesson_model()
    x = (70 - AGE_MIN) / (AGE_MAX - AGE_MIN)
    probabilities = model.predict(np.array([[x]]))[0]
    label = int(np.argmax(probabilities))
    # the lesson's table prints the same person's row
    assert f"  70   {x:7.4f}   {probabilities[0]:18.4f}   {probabilities[1]:15.4f}" in stored_text(LESSON)
    (cell,) = [cell for cell in code_cells(LESSON) if "inference_diagram" in source(cell)]
    assert any("image/png" in output.get("data", {}) for output in cell["outputs"])
    assert "model.predict(x_person)" in source(cell) and "age_min=youngest" in source(cell)
    fig = diagrams.inference_diagram(70, x, probabilities, TRIAL_CLASSES, age_min=AGE_MIN, age_max=AGE_MAX,
                                     layer_sizes=[1] + [layer.units for layer in model.layers])
    texts = {text.get_gid(): text.get_text() for text in fig.axes[0].texts}
    plt.close(fig)
    assert f"= {x:.4f}" in texts["detail:scaling"] and "1 -> 16 -> 32 -> 2" in texts["detail:network"]
    assert f"{probabilities[1]:.4f}" in texts["detail:probabilities"]
    assert label == 1 and f'"{TRIAL_CLASSES[label]}"' in texts["detail:class"]
    assert inference.age_prediction(model, 70).class_name == TRIAL_CLASSES[label]


def test_the_dashed_and_dotted_lines_the_text_names_are_in_the_figure():
    fig = inference.probability_figure(lesson_model(), age=70)
    lines = fig.axes[0].get_lines()
    dashed = [line for line in lines if line.get_linestyle() == "--"]
    dotted = [line for line in lines if line.get_linestyle() == ":"]
    plt.close(fig)
    assert [line.get_xdata()[0] for line in dashed] == [AGE_OLDER] == [65]
    assert [line.get_ydata()[0] for line in dotted] == [0.5]
    text = " ".join(markdown_text(load(LESSON)).split())
    assert "(dashed line);" not in text                                 # no forward reference before the figure
    assert "the dashed line marks 65, the dotted one 50%" in text
