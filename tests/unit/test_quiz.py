"""nnbook.lessons.quiz and its questions: every answer checked as stored, every number recomputed with the
library, bad input turned into feedback, and the widget driven as a learner would, without a browser."""

import math

import numpy as np
import pytest

from nnbook import _validate, descent, encoding, losses
from nnbook.activations import relu, softmax
from nnbook.data import PET_CLASSES, TRIAL_CLASSES, drug_trial, pets, scale_ages
from nnbook.layers import Dense
from nnbook.lessons import curves, images, inference, palette, quiz
from nnbook.lessons._questions import BY_LESSON, Choice, Number
from nnbook.models import Sequential
from nnbook.optimizers import SGD, Adam

LESSONS = [f"{n:02d}" for n in range(1, 12)]
ALL = [(lesson, number, question) for lesson in LESSONS
       for number, question in enumerate(quiz.questions(lesson), start=1)]
CHOICES = [item for item in ALL if isinstance(item[2], Choice)]
NUMBERS = [item for item in ALL if isinstance(item[2], Number)]


def ids(item):
    return f"{item[0]}-q{item[1]}"


# --- the question bank ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_three_to_eight_questions(lesson):
    asked = quiz.questions(lesson)
    assert 3 <= len(asked) <= 8
    assert quiz.questions(int(lesson)) == asked == quiz.questions(str(int(lesson)))
    assert any(isinstance(q, Choice) for q in asked)


def test_the_bank_is_exactly_lessons_01_to_11():
    assert sorted(BY_LESSON) == LESSONS


@pytest.mark.parametrize("lesson", [0, 12, "00", "12", "5a", "", None, 5.0, True, [5]])
def test_other_lessons_are_a_clear_value_error(lesson):
    with pytest.raises(ValueError, match="lesson must be one of 01 to 11"):
        quiz.questions(lesson)
    with pytest.raises(ValueError, match="lesson must be one of 01 to 11"):
        quiz.show(lesson)


@pytest.mark.parametrize("item", CHOICES, ids=ids)
def test_a_choice_question_is_well_formed(item):
    _, _, question = item
    texts = [option for option, _ in question.options]
    assert 3 <= len(texts) <= 4 and len(set(t.lower() for t in texts)) == len(texts)
    assert question.right in quiz.LETTERS[:len(texts)]
    assert question.options[quiz.LETTERS.index(question.right)][1] == "", "the right option carries no note"
    assert question.explanation.strip() and question.text.strip()
    for _, note in question.options:
        assert not note or note.endswith((".", ")")), note


@pytest.mark.parametrize("item", NUMBERS, ids=ids)
def test_a_number_question_is_well_formed(item):
    _, _, question = item
    assert question.tolerance > 0 and question.explanation.strip()
    assert f"{question.answer:g}" in question.explanation, "the explanation shows the answer"
    values = [question.answer] + [value for value, _ in question.mistakes]
    for i, a in enumerate(values):          # every named mistake lies clearly outside every other tolerance
        for b in values[i + 1:]:
            assert abs(a - b) > 2 * question.tolerance, (a, b)
    for value, note in question.mistakes:
        assert f"{value:g}" in note, "a mistake's note names the value it explains"


# --- every stored number, recomputed ----------------------------------------------------------------------

def _softmax_row(scores):
    return softmax(np.array([scores], dtype=float))[0]


def _one_hot_zeros():
    targets = encoding.one_hot(pets().labels, num_classes=3)
    assert targets.shape == (8, 3)
    return targets.size - np.count_nonzero(targets), {targets.size, np.count_nonzero(targets)}


def _keras_mse():
    rng = np.random.default_rng(0)
    y_true = encoding.one_hot(rng.integers(0, 3, 5), 3)
    y_pred = rng.random((5, 3))
    assert np.isclose(np.mean((y_true - y_pred) ** 2), losses.mse(y_true, y_pred) / 3)   # the lesson's rule
    return 0.3 / 3, {0.3 * 3, 0.3}


def _descent_lands_in_one_step():
    landing = [lr for lr in np.round(np.arange(1, 121) * 0.01, 2)
               if all(abs(descent.gradient_descent(descent.bowl_slope, w0, lr, 1)[-1] - descent.W_OPTIMUM) < 1e-9
                      for w0 in (0.0, 0.38, 0.93, 2.0))]
    assert len(landing) == 1
    w0 = 0.38
    mirror = descent.gradient_descent(descent.bowl_slope, w0, 1.0, 2)
    assert np.allclose(mirror, [w0, 2 * descent.W_OPTIMUM - w0, w0])             # lr = 1: back and forth
    half = descent.gradient_descent(descent.bowl_slope, w0, 0.25, 1)[-1]
    assert np.isclose(half - descent.W_OPTIMUM, (w0 - descent.W_OPTIMUM) / 2)     # lr = 0.25: halves
    return landing[0], {1.0, 0.25}


def _delta_for_true_class():
    p, label = np.array([0.2, 0.5, 0.3]), 1
    z = np.log(p)                                       # scores whose softmax is p
    gradient = descent.numerical_gradient(lambda s: -np.log(_softmax_row(s)[label]), z)
    return gradient[label], {-gradient[label], -1 / p[label]}


def _updates_in_five_epochs():
    model = Sequential([Dense(2, input_shape=(1,), activation="softmax")], seed=0)
    model.compile(SGD(learning_rate=0.01), "sparse_categorical_crossentropy")
    history = model.fit(np.zeros((2100, 1)), np.zeros(2100, dtype=int), batch_size=128, epochs=1, verbose=0)
    steps = history.params["steps"]
    return 5 * steps, {5 * math.floor(2100 / 128), 5 * 2100 / 128}


def _dense_parameters():
    model = Sequential([Dense(8, input_shape=(3,))], seed=0)
    return model.count_params(), {3 * 8, 3 + 8}


def _adam_first_step():
    gradient = np.array([50.0])
    w_adam, w_sgd = np.zeros(1), np.zeros(1)
    Adam(learning_rate=0.001).update(w_adam, gradient)
    SGD(learning_rate=0.001).update(w_sgd, gradient)
    return w_adam[0], {w_sgd[0], -w_adam[0]}


def _accuracy_of_four():
    labels = np.array([0, 1, 1, 0])
    rows = np.array([[0.8, 0.2], [0.4, 0.6], [0.7, 0.3], [0.45, 0.55]])
    right = np.argmax(rows, axis=1) == labels
    return right.mean(), {np.append(right[:-1], True).mean(), right.sum()}


def _accuracy_ceiling():
    trial = drug_trial(seed=0)
    exceptions = np.count_nonzero((trial.ages >= 65) != (trial.labels == 1))
    assert (trial.labels.size, exceptions) == (2100, 100)           # the numbers the question gives
    ceiling = curves.accuracy_ceiling(trial.ages, trial.labels)
    assert np.isclose(ceiling, (2100 - 100) / 2100)
    return ceiling, {1.0, exceptions / trial.labels.size}


def _digit_inputs():
    x = images.images_to_inputs(np.zeros((1, 8, 8)))
    return x.shape[1], {8, 8 + 8}


def _first_digit_layer():
    model = Sequential([Dense(32, input_shape=(64,), activation="relu")], seed=0)
    kernel, bias = model.get_weights()
    return model.count_params(), {kernel.size}


def _held_out_rows():
    x, y = np.zeros((2100, 1)), np.zeros(2100)
    x_train, _, (x_val, _) = _validate.validation_split(x, y, 0.15)
    return len(x_val), {len(x_train)}


# (lesson, question) -> the answer and the values of the named mistakes, computed with the library or numpy
RECOMPUTED = {
    ("01", 2): lambda: (_softmax_row([2.0, 0.0])[0], {2 / (2 + 0), _softmax_row([0.0, 0.0])[0]}),
    ("01", 3): lambda: (losses.sse(np.array([1.0, 0.0]), np.array([0.9, 0.1])), {0.1 + 0.1, (1 - 0.9) ** 2}),
    ("02", 5): _one_hot_zeros,
    ("03", 1): lambda: (losses.sse(np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.7, 0.1])),
                        {0.2 + 0.3 + 0.1, (0 - 0.2) + (1 - 0.7) + (0 - 0.1)}),
    ("03", 3): lambda: (np.mean([0.2, 0.4, 0.1, 0.5]), {np.sum([0.2, 0.4, 0.1, 0.5])}),
    ("03", 4): _keras_mse,
    ("03", 5): lambda: (math.ceil(1000 / 32), {math.floor(1000 / 32), 1000 / 32}),
    ("04", 1): lambda: (descent.update_weight(0.5, 0.2, 0.1), {0.5 + 0.1 * 0.2, 0.5 - 0.2, 0.1 * 0.2}),
    ("04", 3): lambda: (descent.bowl_slope(0.255), {0.255 - descent.W_OPTIMUM, -descent.bowl_slope(0.255)}),
    ("04", 4): _descent_lands_in_one_step,
    ("05", 2): lambda: (losses.sparse_categorical_crossentropy(np.array([1]), np.array([[0.5, 0.5]]))[0],
                        {-math.log10(0.5), 1 - 0.5}),
    ("05", 3): _delta_for_true_class,
    ("05", 5): lambda: (-0.2 * 0.01, {0.2 * 0.01, -0.2}),
    ("06", 2): _updates_in_five_epochs,
    ("07", 1): _dense_parameters,
    ("07", 3): _adam_first_step,
    ("08", 2): _accuracy_of_four,
    ("08", 3): _accuracy_ceiling,
    ("09", 1): lambda: (inference.ages_to_inputs([56])[0, 0], {56 / 100, 56}),
    ("10", 2): _held_out_rows,
    ("11", 1): _digit_inputs,
    ("11", 4): _first_digit_layer,
}


def test_every_number_question_is_recomputed():
    assert sorted(RECOMPUTED) == sorted((lesson, number) for lesson, number, _ in NUMBERS)


@pytest.mark.parametrize("item", NUMBERS, ids=ids)
def test_stored_answers_and_mistakes_are_what_the_library_computes(item):
    lesson, number, question = item
    answer, mistakes = RECOMPUTED[(lesson, number)]()
    assert abs(question.answer - answer) <= question.tolerance / 2, (question.answer, answer)
    stored = [value for value, _ in question.mistakes]
    assert len(stored) == len(mistakes)
    for value in stored:
        assert any(abs(value - computed) <= question.tolerance / 2 for computed in mistakes), value


# --- the numbers and facts in the multiple-choice questions -----------------------------------------------

def right_option(lesson, number):
    question = quiz.questions(lesson)[number - 1]
    return question.options[quiz.LETTERS.index(question.right)][0]


def vector_text(row):
    return "(" + ", ".join(f"{v:.0f}" for v in row) + ")"


def test_01_numbers_in_the_explanations():
    assert np.isclose(losses.sse(np.array([1.0, 0.0]), np.array([0.75, 0.25])), 0.125)
    p_cat = _softmax_row([2.0, 0.0])[0]
    text = quiz.questions("01")[1].explanation
    assert f"{math.exp(2):.3f} / {math.exp(2) + 1:.3f}" in text and f"{1 - p_cat:.4f}" in text


def test_02_one_hot_and_argmax_facts():
    assert right_option("02", 1) == vector_text(encoding.one_hot([2], 4)[0])                  # Dog is label 2
    notes = dict(quiz.questions("02")[0].options)
    assert "counting from 1" in notes[vector_text(encoding.one_hot([1], 4)[0])]
    assert right_option("02", 3) == encoding.decode(np.array([[0.45, 0.15, 0.40]]), PET_CLASSES)[0]
    assert encoding.one_hot([0, 1, 1], num_classes=max([0, 1, 1]) + 1).shape == (3, 2)


def test_03_batches_of_32():
    assert 31 * 32 == 992 and 1000 - 992 == 8 and math.ceil(1000 / 32) == 32


def test_04_directions_and_learning_rates():
    assert descent.update_weight(0.4, 0.8, 0.1) < 0.4                       # a positive slope: move down
    distance = descent.gradient_descent(descent.bowl_slope, 0.38, 1.05, 6) - descent.W_OPTIMUM
    assert np.allclose(distance[1:] / distance[:-1], 1 - 2 * 1.05)           # crosses, and 10% further each time
    zig = descent.gradient_descent(descent.bowl_slope, 0.38, 0.8, 30) - descent.W_OPTIMUM
    assert np.all(zig[1:] * zig[:-1] < 0) and abs(zig[-1]) < 1e-6            # between 0.5 and 1: zig-zags in
    creep = descent.gradient_descent(descent.bowl_slope, 0.38, 0.01, 10) - descent.W_OPTIMUM
    assert np.all(creep < 0) and abs(creep[-1]) > 0.8 * abs(creep[0])        # 0.01: barely moves


def test_05_an_off_relu_passes_no_gradient():
    z = np.array([[-0.3]])
    assert relu.backward(relu.forward(z), np.ones_like(z))[0, 0] == 0
    assert descent.numerical_gradient(lambda v: float(relu(np.array([[v]]))[0, 0]), -0.3) == 0


def test_06_the_grouped_order_and_a_dead_unit():
    grouped = drug_trial(seed=0, shuffle=False)
    assert not grouped.labels[:100 * 10].any()         # the first 100 batches of 10: nobody with side effects
    ages = np.arange(13, 101)
    z = scale_ages(ages).reshape(-1, 1) @ np.array([[-0.4]]) + 0.0
    assert np.all(z <= 0)
    assert 16 * 128 + 52 == 2100


def test_07_outputs_and_parameter_counts():
    assert Sequential([Dense(16, input_shape=(1,))], seed=0).count_params() == 32
    z = np.array([[0.3, -1.2], [2.0, 0.5]])
    assert np.allclose(softmax(z).sum(axis=1), 1)
    assert not np.allclose(1 / (1 + np.exp(-z)).sum(axis=1), 1)


def test_09_class_names_and_the_range():
    assert right_option("09", 3) == f"'{encoding.decode(np.array([[0.52, 0.48]]), TRIAL_CLASSES)[0]}'"
    with pytest.raises(ValueError):
        inference.ages_to_inputs([120])
    with pytest.raises(ValueError):
        inference.ages_to_inputs([12])
    assert np.isclose(inference.ages_to_inputs([45.5])[0, 0], (45.5 - 13) / 87)


def test_10_the_split_takes_the_last_rows():
    x = np.arange(20.0).reshape(-1, 1)
    _, _, (x_val, _) = _validate.validation_split(x, np.arange(20), 0.1)
    assert x_val[:, 0].tolist() == [18.0, 19.0]
    assert int(2100 * (1 - 0.15)) == 1785


# --- answer(): right, wrong, and what cannot be checked ----------------------------------------------------

@pytest.mark.parametrize("item", CHOICES, ids=ids)
def test_the_right_option_is_accepted_by_letter_and_by_text(item):
    lesson, number, question = item
    right_text = question.options[quiz.LETTERS.index(question.right)][0]
    for said in (question.right, question.right.upper(), f" {question.right}) ", right_text, right_text.upper()):
        feedback = quiz.answer(lesson, number, said)
        assert feedback and feedback.correct and feedback.checked, said
        assert str(feedback).startswith("✔ Right: ") and question.explanation in feedback.explanation
        assert "✔ Right:" in feedback._repr_html_()


@pytest.mark.parametrize("item", CHOICES, ids=ids)
def test_every_wrong_option_is_rejected_with_its_note(item):
    lesson, number, question = item
    for letter, (text, note) in zip(quiz.LETTERS, question.options):
        if letter == question.right:
            continue
        for said in (letter, text):
            feedback = quiz.answer(lesson, number, said)
            assert not feedback and feedback.correct is False and feedback.checked
            assert repr(feedback).startswith("✘ Not quite: ")
            assert note in feedback.explanation and question.explanation in feedback.explanation
            assert f"The answer is {question.right})" in feedback.explanation


@pytest.mark.parametrize("item", NUMBERS, ids=ids)
def test_a_number_is_right_within_its_tolerance(item):
    lesson, number, question = item
    for value in (question.answer, question.answer + 0.9 * question.tolerance,
                  question.answer - 0.9 * question.tolerance, np.float64(question.answer), np.array(question.answer)):
        feedback = quiz.answer(lesson, number, value)
        assert feedback.correct and str(feedback).startswith("✔ Right: "), value
        assert question.explanation in feedback.explanation
    if float(question.answer).is_integer():
        assert quiz.answer(lesson, number, int(question.answer))
    assert not quiz.answer(lesson, number, question.answer + 1.5 * question.tolerance)


@pytest.mark.parametrize("item", NUMBERS, ids=ids)
def test_every_named_mistake_is_rejected_with_its_note(item):
    lesson, number, question = item
    for value, note in question.mistakes:
        feedback = quiz.answer(lesson, number, value)
        assert not feedback and feedback.checked and str(feedback).startswith("✘ Not quite: ")
        assert note in feedback.explanation and question.explanation in feedback.explanation
        assert f"The answer is {question.answer:g}." in feedback.explanation
        other_notes = [other for v, other in question.mistakes if v != value]
        assert not any(other in feedback.explanation for other in other_notes)


def first(kind):
    return next(item for item in ALL if isinstance(item[2], kind))


@pytest.mark.parametrize("lesson, number, choice, expected", [
    ("12", 1, "a", "lesson must be one of 01 to 11"),
    (None, 1, "a", "lesson must be one of 01 to 11"),
    ("04", 0, "a", "lesson 04 has questions 1 to 6; got question 0"),
    ("04", 99, "a", "lesson 04 has questions 1 to 6; got question 99"),
    ("04", "1", 0.48, "lesson 04 has questions 1 to 6; got question '1'"),
    ("04", True, 0.48, "got question True"),
    ("04", 2, "e", "answer with one of the letters a, b, c, d (or an option's text); got 'e'"),
    ("04", 2, "sideways", "got 'sideways'"),
    ("04", 2, None, "no option chosen yet"),
    ("04", 2, 2, "got int 2"),
    ("04", 1, "0.48", "asks for a number, such as 0.5 (without quotes); got str '0.48'"),
    ("04", 1, None, "no answer given yet"),
    ("04", 1, True, "got bool True"),
    ("04", 1, float("nan"), "got nan"),
    ("04", 1, float("inf"), "got inf"),
    ("04", 1, [0.48], "got list [0.48]"),
])
def test_what_cannot_be_checked_gets_feedback_saying_what_is_expected(lesson, number, choice, expected):
    feedback = quiz.answer(lesson, number, choice)
    assert not feedback and not feedback.checked
    assert str(feedback).startswith("✘ Can't check that: ") and expected in feedback.explanation
    assert "Can't check that" in feedback._repr_html_()


def test_the_letters_follow_the_number_of_options():
    three = Choice("Which?", (("x", ""), ("y", "Not y."), ("z", "Not z.")), "a", "Because x.")
    refused = quiz._check_choice(three, 1, "d")
    assert not refused.checked and "one of the letters a, b, c (or an option's text)" in refused.explanation
    assert quiz._check_choice(three, 1, "a") and not quiz._check_choice(three, 1, "c")
    numeric = Choice("How many?", (("3", ""), ("4", "No.")), "a", "Three.")
    assert quiz._check_choice(numeric, 1, 3) and not quiz._check_choice(numeric, 1, 4)


def test_feedback_html_is_escaped():
    lesson, number, question = first(Choice)
    feedback = quiz.answer(lesson, number, question.right)
    assert "<script" not in quiz.Feedback(False, "<script>x</script>")._repr_html_()
    assert feedback._repr_html_().startswith('<div class="nnbook-quiz-feedback"')


@pytest.mark.parametrize("verdict, colours", [(quiz.RIGHT, palette.RIGHT), (quiz.WRONG, palette.WRONG),
                                              (quiz.UNCHECKED, palette.UNCHECKED)])
def test_each_verdict_sits_on_its_own_background_from_the_palette(verdict, colours):
    # In JupyterLab Dark or a dark site the page's background is near black: the verdict brings its own, whose
    # contrast tests/unit/test_palette.py measures.
    shown = quiz.Feedback(verdict == quiz.RIGHT, "because.", verdict)._repr_html_()
    assert f'<b style="{palette.badge_style(colours)}">{verdict}:</b>' in shown


# --- the plain text and the widget -------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_the_plain_text_numbers_the_questions_and_letters_the_options(lesson):
    text = quiz.as_text(lesson)
    call = quiz.example(lesson)
    assert f"such as {call}." in text and call.startswith(f'quiz.answer("{lesson}", ')
    number = int(call.split(", ")[1])
    assert isinstance(quiz.questions(lesson)[number - 1], Choice) and quiz.answer(lesson, number, "b").checked
    flat = " ".join(text.split())
    for number, question in enumerate(quiz.questions(lesson), start=1):
        assert f"{number}. {' '.join(question.text.split())}" in flat
        if isinstance(question, Choice):
            for letter, (option_text, _) in zip(quiz.LETTERS, question.options):
                assert f"{letter}) {' '.join(option_text.split())}" in flat
    assert max(len(line) for line in text.splitlines()) <= 110


def test_show_gives_the_widget_and_the_questions_as_text():
    view = quiz.show(4)
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == quiz.as_text("04") == repr(view)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    questions = quiz.questions("04")
    assert len(view.controls) == len(view.buttons) == len(view.feedback) == len(questions)
    for control, question in zip(view.controls, questions):
        if isinstance(question, Choice):
            assert control.value is None and list(control.options) == list("abcd")[:len(question.options)]
        else:
            assert control.value == 0.0
    assert all(shown.value == "" for shown in view.feedback)


@pytest.mark.parametrize("lesson", LESSONS)
def test_checking_in_the_widget_shows_the_feedback_of_answer(lesson):
    view = quiz.show(lesson)
    children = len(view.widget.children)
    for number, question in enumerate(quiz.questions(lesson), start=1):
        control, button, shown = view.controls[number - 1], view.buttons[number - 1], view.feedback[number - 1]
        if isinstance(question, Choice):
            button.click()                                        # nothing chosen yet
            assert "Can't check that" in shown.value and "no option chosen yet" in shown.value
            wrong = next(letter for letter in quiz.LETTERS[:len(question.options)] if letter != question.right)
            control.value = wrong
            button.click()
            assert shown.value == quiz.answer(lesson, number, wrong)._repr_html_()
            assert "✘ Not quite:" in shown.value
            control.value = question.right
        else:
            control.value = question.answer + 10 * question.tolerance + 1
            button.click()
            assert "✘ Not quite:" in shown.value
            control.value = question.answer
        button.click()
        assert shown.value == quiz.answer(lesson, number, question.right if isinstance(question, Choice)
                                          else question.answer)._repr_html_()
        assert "✔ Right:" in shown.value
    assert len(view.widget.children) == children                 # checking builds no new widgets
    assert view.check(1).checked


def test_the_widget_leaves_other_questions_alone():
    view = quiz.show("03")
    view.controls[1].value = quiz.questions("03")[1].right
    view.buttons[1].click()
    assert view.feedback[1].value and not view.feedback[0].value and not view.feedback[2].value
