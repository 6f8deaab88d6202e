"""Lesson 09 (inference) and its exercise (scale_like_training).

Lesson 09 trains the same seeded model on the same data as lesson 08, so its tests share lesson 08's run (the
lesson09 fixture, tests/conftest.py). The lesson's claims (issue 9): the inference picture shows this run's
numbers for a person of 70, the scaling's 13 and 100 are the training data's youngest and oldest, and the dashed
line the text names is in the figure; predictions need only ages, and the stored outputs show the run's numbers.
The exercise: what the solution notebook shows, recomputed with the library alone (not with the solution's
function), statements that do not give the answer's code, and the lesson's link to it.
"""

import matplotlib.pyplot as plt
import numpy as np
from notebook_helpers import (
    COURSE,
    ROOT,
    check_statements_hide_the_code,
    clean_stored_text,
    code_cells,
    load,
    markdown_text,
    source,
    stored_text,
)

from nnbook.data import AGE_MAX, AGE_MIN, AGE_OLDER, TRIAL_CLASSES, drug_trial
from nnbook.lessons import diagrams, inference

LESSON = COURSE / "09_inference.ipynb"
SOLUTIONS = ROOT / "solutions"
NEW_AGES = [18, 35, 52, 61, 64, 66, 70, 85, 99]


def solution_text(name: str) -> str:
    """The text outputs of solutions/<name>, which must be stored executed, without an error or stderr."""
    return clean_stored_text(SOLUTIONS / name)


# ----------------------------------------------------------------------------------------- claims (issue 9)
def test_the_scaling_numbers_are_the_training_datas_youngest_and_oldest():
    ages = drug_trial(seed=0).ages
    assert (ages.min(), ages.max()) == (AGE_MIN, AGE_MAX) == (13, 100)
    assert f"training data: youngest {ages.min()}, oldest {ages.max()}" in stored_text(LESSON)


def test_the_inference_picture_shows_the_runs_numbers_for_70(lesson09):
    _, model = lesson09
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


def test_the_dashed_and_dotted_lines_the_text_names_are_in_the_figure(lesson09):
    _, model = lesson09
    fig = inference.probability_figure(model, age=70)
    lines = fig.axes[0].get_lines()
    dashed = [line for line in lines if line.get_linestyle() == "--"]
    dotted = [line for line in lines if line.get_linestyle() == ":"]
    plt.close(fig)
    assert [line.get_xdata()[0] for line in dashed] == [AGE_OLDER] == [65]
    assert [line.get_ydata()[0] for line in dotted] == [0.5]
    text = " ".join(markdown_text(load(LESSON)).split())
    assert "(dashed line);" not in text                                 # no forward reference before the figure
    assert "the dashed line marks 65, the dotted one 50%" in text


# ------------------------------------------------------------------------------------- the lesson's run
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
    text = clean_stored_text(LESSON)
    assert f"right on the new people:    {right:.4f}" in text
    assert f"right on its training data: {train_accuracy:.4f}" in text
    assert f"predicted 'side effects' for {predicted.count(TRIAL_CLASSES[1])} of 2100 people" in text


def test_09_stored_outputs_show_the_predictions(lesson09):
    _, model = lesson09
    text = clean_stored_text(LESSON)
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
    text = clean_stored_text(LESSON)
    assert inference.prediction_sentence(start) in text
    assert "<Figure size 700x380 with 1 Axes>" in text
    ages, p_side = inference.probability_by_age(model)
    switch = int(ages[p_side > 0.5].min())
    assert 55 <= switch <= 70
    assert f"the network predicts 'side effects' from age {switch} on" in text


# ------------------------------------------------------------------------------------------ the exercise
def test_the_statements_do_not_give_the_answers_code():
    """Derive, don't transcribe: no line of the solution, and no slicing or indexing of it, is in the text."""
    check_statements_hide_the_code(SOLUTIONS / "09_inference.ipynb",
                                   ["x[order]", "int(n", "(age - ", "max - min", "reshape(-1, 1)"])


def test_09_the_scaling_numbers_are_the_training_datas_youngest_and_oldest():
    trial = drug_trial(seed=0)
    assert (trial.ages.min(), trial.ages.max()) == (AGE_MIN, AGE_MAX) == (13, 100)
    text = markdown_text(COURSE / "09_inference.ipynb")
    assert "youngest and the oldest age **in the training data**" in text
    own = (np.array(NEW_AGES) - min(NEW_AGES)) / (max(NEW_AGES) - min(NEW_AGES))
    assert (own[0], own[-1]) == (0.0, 1.0)
    assert f"range from {min(NEW_AGES)} to {max(NEW_AGES)}" in text
    statement = markdown_text(SOLUTIONS / "09_inference.ipynb")
    assert f"becomes {(70 - 13) / 87:.4f}" in statement


def test_09_the_solution_predicts_the_lessons_classes_from_its_own_scaling(lesson09):
    trial, model = lesson09
    x = inference.ages_to_inputs(NEW_AGES)
    names = inference.predict_classes(model, x, TRIAL_CLASSES)
    text = solution_text("09_inference.ipynb")
    assert "✔ scale_like_training: all 4 cases passed" in text
    assert f"youngest {trial.ages.min()}, oldest {trial.ages.max()}" in text
    for age, value, name in zip(NEW_AGES, x[:, 0], names):
        assert f"age {age:2d} -> input {value:.4f} -> {name}" in text
    assert names[0] == TRIAL_CLASSES[0] and names[-1] == TRIAL_CLASSES[1]


def test_09_a_clinic_scaled_with_its_own_range_gets_a_different_answer(lesson09):
    _, model = lesson09
    right = inference.ages_to_inputs([30, 40])
    own = np.array([[0.0], [1.0]])
    right_names = inference.predict_classes(model, right, TRIAL_CLASSES)
    own_names = inference.predict_classes(model, own, TRIAL_CLASSES)
    assert right_names != own_names                      # the notebook's point: same people, two answers
    text = solution_text("09_inference.ipynb")
    assert f"like the training data: inputs {np.round(right[:, 0], 4).tolist()} -> {right_names}" in text
    assert f"with their own range : inputs [0.0, 1.0] -> {own_names}" in text



def test_the_lessons_point_to_their_exercises_which_exist():
    lesson, exercise = "09_inference.ipynb", "../exercises/09_inference.ipynb"
    assert f"]({exercise})" in markdown_text(COURSE / lesson)
    assert (COURSE / exercise).resolve().is_file()
