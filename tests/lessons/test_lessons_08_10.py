"""Lessons 08-10: the numbers each lesson relies on, recomputed here, and found in its stored outputs.

Each fixture repeats a lesson's seeded run (same data seed, model seed and settings), so a test fails if the
lesson's claim stops holding, and if the notebook shows numbers that its own code no longer produces.
"""

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import COURSE, code_cells, markdown_text, output_text, source_model

from nnbook.data import AGE_OLDER, TRIAL_CLASSES, drug_trial
from nnbook.layers import Dense
from nnbook.lessons import curves, inference
from nnbook.models import Sequential
from nnbook.optimizers import Adam
from nnbook.tools.course_map import LESSONS


def stored_text(name: str) -> str:
    """Every text output stored in a lesson notebook (streams and text/plain), joined; every code cell must
    have been executed, without an error or a line on stderr."""
    notebook = notebook_helpers.load(COURSE / name)
    for cell in code_cells(notebook):
        assert cell["execution_count"] is not None, f"{name}: a code cell was stored unexecuted"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{name}: a cell stored an error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), \
                f"{name}: a cell wrote to stderr: {output_text(output)}"
    return notebook_helpers.stored_text(notebook)


def markdown(name: str) -> str:
    return markdown_text(COURSE / name)




# ============================================================================================ lesson 08
@pytest.fixture(scope="module")
def lesson08():
    trial = drug_trial(seed=0)
    model = source_model(seed=1)
    history = model.fit(trial.x, trial.labels, batch_size=10, epochs=20, verbose=0)
    return trial, model, history


def test_08_the_run_learns_as_the_source_did(lesson08):
    _, _, history = lesson08
    loss, accuracy = history.history["loss"], history.history["accuracy"]
    assert loss[0] > 0.6 and loss[-1] < 0.32
    assert accuracy[0] < 0.65 and accuracy[-1] > 0.9
    assert all(b < a for a, b in zip(loss, loss[1:])), "the lesson says the loss falls every epoch"


def test_08_the_curve_flattens(lesson08):
    loss = np.array(lesson08[2].history["loss"])
    early = (loss[0] - loss[7]) / 7
    late = (loss[12] - loss[19]) / 7
    assert late < early / 3, (early, late)


def test_08_the_steps_shrink_as_the_curve_flattens(lesson08):
    """Lesson 08 reruns its model one epoch at a time and shows the weights moving less and less each epoch."""
    trial, _, history = lesson08
    again = source_model(seed=1)

    def flat_weights():
        return np.concatenate([w.ravel() for w in again.get_weights()])

    weights, losses = [flat_weights()], []
    for _ in range(20):
        losses.append(again.fit(trial.x, trial.labels, batch_size=10, epochs=1, verbose=0).history["loss"][0])
        weights.append(flat_weights())
    assert losses == history.history["loss"], "fitting epoch by epoch must repeat the 20-epoch run exactly"
    movement = np.linalg.norm(np.diff(weights, axis=0), axis=1)
    farthest = int(np.argmax(movement))
    assert farthest < 5                                            # "after the first few epochs"
    late = movement[farthest:]
    assert np.count_nonzero(late[1:] > late[:-1]) <= 2            # "less in almost every epoch"
    ratio = movement[-1] / movement[farthest]
    assert 0.2 < ratio < 0.3                                       # "about a quarter as far"
    text = stored_text("08_training_plots.ipynb")
    assert "the same losses as the run above: True" in text
    for epoch, distance in enumerate(movement, start=1):
        assert f"epoch {epoch:2d}: the weights moved {distance:.4f}" in text
    assert f"farthest in epoch {farthest + 1}; epoch 20 moved {ratio:.4f} of that distance" in text


def test_08_accuracy_by_hand_equals_evaluate_but_not_the_running_log(lesson08):
    trial, model, history = lesson08
    by_hand = np.mean(np.argmax(model.predict(trial.x), axis=1) == trial.labels)
    _, evaluated = model.evaluate(trial.x, trial.labels, verbose=0)
    assert by_hand == evaluated
    assert history.history["accuracy"][-1] != evaluated


def test_08_the_exceptions_cap_accuracy_near_95_percent(lesson08):
    trial, model, history = lesson08
    follows_rule = (trial.ages >= AGE_OLDER) == (trial.labels == 1)
    assert np.count_nonzero(~follows_rule) == 100
    ceiling = curves.accuracy_ceiling(trial.ages, trial.labels)
    assert 0.94 < ceiling < 0.96
    assert max(history.history["accuracy"]) < ceiling
    assert min(history.history["loss"]) > curves.loss_floor(trial.ages, trial.labels)
    wrong = np.argmax(model.predict(trial.x), axis=1) != trial.labels
    # "Most of the mistakes are exceptions; the others are typical people just below 65."
    assert np.count_nonzero(wrong & ~follows_rule) > np.count_nonzero(wrong) / 2
    assert set(trial.ages[wrong & follows_rule]) <= set(range(55, AGE_OLDER))


def test_08_stored_outputs_show_the_runs_numbers(lesson08):
    trial, model, history = lesson08
    text = stored_text("08_training_plots.ipynb")
    assert curves.history_table(history) in text
    _, evaluated = model.evaluate(trial.x, trial.labels, verbose=0)
    assert f"accuracy by hand:      {evaluated:.4f}" in text
    assert f"model.evaluate:        {evaluated:.4f}" in text
    assert "the same number: True" in text
    assert f"best possible accuracy from age alone: {curves.accuracy_ceiling(trial.ages, trial.labels):.4f}" in text
    assert (f"in-sample floor, the lowest loss from age alone on these people: "
            f"{curves.loss_floor(trial.ages, trial.labels):.4f}") in text
    assert "people who break the rule: 100 of 2100 = 4.76%" in text
    assert text.count("<Figure size 1100x380 with 2 Axes>") == 2


# ============================================================================================ lesson 09
NEW_AGES = [18, 35, 52, 61, 64, 66, 70, 85, 99]


@pytest.fixture(scope="module")
def lesson09(lesson08):
    # Lesson 09 trains the same seeded model on the same data as lesson 08, so the run is shared here.
    trial, model, _ = lesson08
    return trial, model


def test_09_predicting_needs_only_ages_and_gives_probability_rows(lesson09):
    _, model = lesson09
    probabilities = inference.predict_probabilities(model, inference.ages_to_inputs(NEW_AGES))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    names = inference.predict_classes(model, inference.ages_to_inputs(NEW_AGES), TRIAL_CLASSES)
    assert names[0] == TRIAL_CLASSES[0] and names[-1] == TRIAL_CLASSES[1]
    assert names == [TRIAL_CLASSES[k] for k in np.argmax(probabilities, axis=1)]


def test_09_the_network_does_as_well_on_a_new_study_as_on_its_training_data(lesson09):
    trial, model = lesson09
    new_study = drug_trial(seed=1)
    assert not np.array_equal(new_study.ages, trial.ages)
    predicted = inference.predict_classes(model, new_study.x, TRIAL_CLASSES)
    right = np.mean([p == TRIAL_CLASSES[label] for p, label in zip(predicted, new_study.labels)])
    _, train_accuracy = model.evaluate(trial.x, trial.labels, verbose=0)
    assert abs(right - train_accuracy) < 0.02
    text = stored_text("09_inference.ipynb")
    assert f"right on the new people:    {right:.4f}" in text
    assert f"right on its training data: {train_accuracy:.4f}" in text
    assert f"predicted 'side effects' for {predicted.count(TRIAL_CLASSES[1])} of 2100 people" in text


def test_09_stored_outputs_show_the_predictions(lesson09):
    _, model = lesson09
    text = stored_text("09_inference.ipynb")
    probabilities = inference.predict_probabilities(model, inference.ages_to_inputs(NEW_AGES))
    for age, (p_no, p_yes) in zip(NEW_AGES, probabilities):
        x = (age - 13) / 87
        assert f"{age:4d}   {x:7.4f}   {p_no:18.4f}   {p_yes:15.4f}   {1:7.4f}" in text
        label = int(p_yes > p_no)
        assert f"age {age:2d}: label {label} -> {TRIAL_CLASSES[label]}" in text
    assert "ValueError: ages must be within the study's range 13 to 100 years, got 120" in text


def test_09_the_slider_starts_where_its_static_picture_says(lesson09):
    _, model = lesson09
    start = inference.age_prediction(model, 70)
    text = stored_text("09_inference.ipynb")
    assert inference.prediction_sentence(start) in text
    assert "<Figure size 700x380 with 1 Axes>" in text
    ages, p_side = inference.probability_by_age(model)
    switch = int(ages[p_side > 0.5].min())
    assert 55 <= switch <= 70
    assert f"the network predicts 'side effects' from age {switch} on" in text


# ============================================================================================ lesson 10
def tiny_model(learning_rate):
    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")], seed=1)
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def lesson10():
    ordered = drug_trial(seed=0, shuffle=False)
    order = np.random.default_rng(0).permutation(2100)
    x, labels = ordered.x[order], ordered.labels[order]
    runs = {"ordered": source_model(seed=1).fit(ordered.x, ordered.labels, batch_size=10, epochs=20, verbose=0,
                                                validation_split=0.1),
            "shuffled": source_model(seed=1).fit(x, labels, batch_size=10, epochs=20, verbose=0,
                                                 validation_split=0.1),
            "tiny": tiny_model(0.0001).fit(x, labels, batch_size=10, epochs=20, verbose=0, validation_split=0.1),
            "tiny_fast": tiny_model(0.01).fit(x, labels, batch_size=10, epochs=20, verbose=0,
                                              validation_split=0.1)}
    few = drug_trial(seed=16)
    held_out = drug_trial(seed=100, typical=200, exceptions=10)
    big = Sequential([Dense(64, input_shape=(1,), activation="relu"), Dense(64, activation="relu"),
                      Dense(2, activation="softmax")], seed=1)
    big.compile(optimizer=Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    runs["big"] = big.fit(few.x[:40], few.labels[:40], batch_size=10, epochs=400, verbose=0,
                          validation_data=(held_out.x, held_out.labels))
    return ordered, order, runs


def final(history, key):
    return history.history[key][-1]


def test_10_ordered_data_puts_every_exception_in_the_validation_split(lesson10):
    ordered, order, _ = lesson10
    follows_rule = (ordered.ages >= AGE_OLDER) == (ordered.labels == 1)
    assert np.count_nonzero(~follows_rule[1890:]) == 100 and np.all(follows_rule[:1890])
    shuffled_share = np.mean(~follows_rule[order][1890:])
    assert abs(shuffled_share - np.mean(~follows_rule)) < 0.03


def test_10_the_unshuffled_split_scores_far_below_the_shuffled_one(lesson10):
    runs = lesson10[2]
    ordered, shuffled = runs["ordered"], runs["shuffled"]
    assert final(ordered, "val_accuracy") < 0.6
    assert final(shuffled, "val_accuracy") > final(ordered, "val_accuracy") + 0.3
    assert final(ordered, "accuracy") > 0.95                      # training looks excellent
    assert final(ordered, "val_loss") > ordered.history["val_loss"][0]   # and validation got worse


def test_10_the_shuffled_run_fits_well(lesson10):
    shuffled = lesson10[2]["shuffled"]
    assert not curves.is_overfitting(shuffled)
    assert final(shuffled, "val_loss") < shuffled.history["val_loss"][0] - 0.3
    assert abs(final(shuffled, "val_accuracy") - final(shuffled, "accuracy")) < 0.05


def test_10_the_tiny_network_under_fits_and_a_larger_learning_rate_cures_it(lesson10):
    ordered, _, runs = lesson10
    tiny, fast, shuffled = runs["tiny"], runs["tiny_fast"], runs["shuffled"]
    floor = curves.loss_floor(ordered.ages, ordered.labels)
    assert final(tiny, "loss") > floor + 0.3 and final(tiny, "val_loss") > floor + 0.3
    assert abs(final(tiny, "loss") - final(tiny, "val_loss")) < 0.05
    assert final(tiny, "loss") < tiny.history["loss"][-5]         # still falling
    assert not curves.is_overfitting(tiny)
    assert abs(final(fast, "val_loss") - final(shuffled, "val_loss")) < 0.05


def test_10_the_big_network_over_fits(lesson10):
    runs = lesson10[2]
    big, shuffled = runs["big"], runs["shuffled"]
    best = curves.best_epoch(big, "val_loss")
    val_loss, loss = big.history["val_loss"], big.history["loss"]
    assert best < 50
    assert val_loss[-1] > val_loss[best - 1] + 0.1                # validation loss rose from its minimum
    assert loss[-1] < loss[best - 1]                              # while the training loss kept falling
    assert curves.is_overfitting(big)
    # lower training loss than the good run, yet worse on held-out people
    assert final(big, "loss") < final(shuffled, "loss")
    assert final(big, "val_loss") > final(shuffled, "val_loss")


def test_10_stored_outputs_show_the_runs_numbers(lesson10):
    ordered, order, runs = lesson10
    text = stored_text("10_validation.ipynb")
    epochs = [1, 5, 10, 15, 20]
    for name in ("ordered", "shuffled", "tiny"):
        assert curves.history_table(runs[name], epochs=epochs) in text, name
    assert curves.history_table(runs["tiny_fast"], epochs=[1, 20]) in text
    assert "validation rows:  210 people, 100 exceptions (47.6%)" in text
    shuffled_ages, shuffled_labels = ordered.ages[order], ordered.labels[order]
    train_floor = curves.loss_floor(shuffled_ages[:1890], shuffled_labels[:1890])
    assert f"in-sample floor of the 1890 training people (lesson 08): {train_floor:.4f}" in text
    big = runs["big"]
    best = curves.best_epoch(big, "val_loss")
    assert f"lowest validation loss: {big.history['val_loss'][best - 1]:.4f} at epoch {best}" in text
    assert (f"at epoch 400: training loss {final(big, 'loss'):.4f}, validation loss {final(big, 'val_loss'):.4f}, "
            f"validation accuracy {final(big, 'val_accuracy'):.4f}") in text
    assert "weights: 4418" in text and "weights: 4\n" in text
    for name, title in [("tiny", "under-fitting: tiny network"),
                        ("shuffled", "still learning: lesson 08's network, 20 epochs"),
                        ("big", "over-fitting: big network, 40 people")]:
        run = runs[name]
        assert (f"{title:48s} training loss {final(run, 'loss'):.4f}, validation loss {final(run, 'val_loss'):.4f}, "
                f"best validation epoch {curves.best_epoch(run, 'val_loss'):3d} of {len(run.history['loss']):3d}, "
                f"over-fitting sign: {curves.is_overfitting(run)}") in text


def test_the_last_lesson_ends_the_course_pointing_back_to_00_and_to_the_exercises():
    last = LESSONS[-1]                                  # lesson 10 until lesson 11 came (issue 18)
    text = markdown(f"{last.stem}.ipynb")
    assert "This was the last lesson." in text
    assert "This was the last lesson." not in markdown("10_validation.ipynb") or last.number == "10"
    assert "00_start_here.ipynb" in text
    assert "../exercises/" in text
    assert "File > New > Terminal" in text and "`.venv/bin/nnbook progress`" in text
