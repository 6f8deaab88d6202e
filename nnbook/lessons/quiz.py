"""Lessons 01-11: the concept questions at the end of each lesson, checked in the notebook.

``answer(lesson, number, choice)`` checks one answer and returns a :class:`Feedback` that explains the
right answer; it never raises, whatever it is given. ``show(lesson)`` puts a lesson's questions on screen
as one widget whose Check buttons call ``answer``; its plain-text form is the questions themselves, which
is what a notebook opened without a kernel, nbval and a static page show. The questions are data, in
``nnbook.lessons._questions``.
"""

from __future__ import annotations

import html
import math
import numbers
import re
import textwrap
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnbook.lessons import palette
from nnbook.lessons._questions import BY_LESSON, Choice, Number

LETTERS = "abcd"
RIGHT, WRONG, UNCHECKED = "✔ Right", "✘ Not quite", "✘ Can't check that"
# Each verdict's (text, background) from the course palette: legible in a light theme and a dark one alike.
_COLOURS = {RIGHT: palette.RIGHT, WRONG: palette.WRONG, UNCHECKED: palette.UNCHECKED}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: truthy when right. ``explanation`` is the text shown after the verdict."""

    correct: bool
    explanation: str
    verdict: str = ""

    def __post_init__(self):
        if not self.verdict:
            object.__setattr__(self, "verdict", RIGHT if self.correct else WRONG)

    def __bool__(self) -> bool:
        return self.correct

    @property
    def checked(self) -> bool:
        """False when the answer could not be checked (no such question, or an answer of the wrong kind)."""
        return self.verdict != UNCHECKED

    @property
    def text(self) -> str:
        return f"{self.verdict}: {self.explanation}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        style = palette.badge_style(_COLOURS[self.verdict])
        return (f'<div class="nnbook-quiz-feedback" style="margin: 0.2em 0 0.6em 0">'
                f'<b style="{style}">{html.escape(self.verdict, quote=False)}:</b> '
                f"{html.escape(self.explanation, quote=False)}</div>")


def lesson_key(lesson) -> str:
    """The lesson as two digits, "01" to "11"; ``lesson`` may be "05", "5" or 5."""
    number = None
    if isinstance(lesson, numbers.Integral) and not isinstance(lesson, bool):
        number = int(lesson)
    elif isinstance(lesson, str) and lesson.strip().isdigit():
        number = int(lesson.strip())
    if number is None or f"{number:02d}" not in BY_LESSON:
        raise ValueError(f'lesson must be one of {min(BY_LESSON)} to {max(BY_LESSON)} (as "05" or 5), '
                         f'got {lesson!r}')
    return f"{number:02d}"


def questions(lesson) -> tuple:
    """The lesson's questions (``Choice`` and ``Number`` tuples), numbered from 1 in this order."""
    return BY_LESSON[lesson_key(lesson)]


def question_text(question, number: int) -> str:
    """One question in plain text: numbered, its options lettered, wrapped at 100 characters."""
    lines = _wrap(f"{number}. {question.text}", "", "   ")
    if isinstance(question, Choice):
        for letter, (option, _) in zip(LETTERS, question.options):
            lines += _wrap(f"{letter}) {option}", "   ", "      ")
    else:
        lines.append("   (answer with a number)")
    return "\n".join(lines)


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False, break_long_words=False)


def example(lesson) -> str:
    """A call that answers the lesson's first multiple-choice question without the widget."""
    key = lesson_key(lesson)
    number = next(n for n, question in enumerate(questions(key), start=1) if isinstance(question, Choice))
    return f'quiz.answer("{key}", {number}, "b")'


def as_text(lesson) -> str:
    """All of a lesson's questions in plain text, with a line on how to answer without the widget."""
    key = lesson_key(lesson)
    asked = questions(key)
    head = (f"Check your understanding: {len(asked)} questions on lesson {key}.\n"
            f"Answer in the widget, or with a call such as {example(key)}.")
    return "\n\n".join([head] + [question_text(q, n) for n, q in enumerate(asked, start=1)])


def _unchecked(message: str) -> Feedback:
    return Feedback(False, message, UNCHECKED)


def _format(value: float) -> str:
    return f"{value:.6g}"


def _choice_index(question: Choice, number: int, choice):
    """The index of the option ``choice`` names (a letter or an option's text), or a Feedback saying what
    is expected."""
    letters = LETTERS[:len(question.options)]
    expected = (f"question {number} is multiple choice: answer with one of the letters "
                f"{', '.join(letters)} (or an option's text)")
    if choice is None:
        return _unchecked(f"no option chosen yet; {expected}.")
    if isinstance(choice, str):
        said = _plain(choice)
        letter = re.fullmatch(r"\(?([a-z])[).]?", said)
        if letter and letter.group(1) in letters:
            return letters.index(letter.group(1))
        for index, (option, _) in enumerate(question.options):
            if said == _plain(option):
                return index
        return _unchecked(f"{expected}; got {choice!r}.")
    if isinstance(choice, numbers.Real) and not isinstance(choice, bool):
        for index, (option, _) in enumerate(question.options):
            try:
                if float(option) == float(choice):
                    return index
            except ValueError:
                continue
    return _unchecked(f"{expected}; got {type(choice).__name__} {choice!r}.")


def _number(question: Number, number: int, choice):
    """``choice`` as a finite float, or a Feedback saying what is expected."""
    expected = f"question {number} asks for a number, such as 0.5 (without quotes)"
    if isinstance(choice, np.ndarray) and choice.ndim == 0:
        choice = choice.item()
    if choice is None:
        return _unchecked(f"no answer given yet; {expected}.")
    if isinstance(choice, bool) or not isinstance(choice, numbers.Real):
        return _unchecked(f"{expected}; got {type(choice).__name__} {choice!r}.")
    value = float(choice)
    if not math.isfinite(value):
        return _unchecked(f"{expected}; got {value}.")
    return value


def _plain(text: str) -> str:
    """Text as compared: single spaces, lower case, no full stop at the end."""
    return " ".join(text.split()).lower().rstrip(".")


def _check_choice(question: Choice, number: int, choice) -> Feedback:
    index = _choice_index(question, number, choice)
    if isinstance(index, Feedback):
        return index
    right = LETTERS.index(question.right)
    answer = _sentence(f"{question.right}) {question.options[right][0]}")
    if index == right:
        return Feedback(True, f"{answer} {question.explanation}")
    note = question.options[index][1]
    chosen = _sentence(f"you chose {LETTERS[index]}) {question.options[index][0]}")
    return Feedback(False, " ".join(part for part in (chosen, note, f"The answer is {answer}",
                                                      question.explanation) if part))


def _sentence(text: str) -> str:
    return text.rstrip(".") + "."


def _check_number(question: Number, number: int, choice) -> Feedback:
    value = _number(question, number, choice)
    if isinstance(value, Feedback):
        return value
    if abs(value - question.answer) <= question.tolerance:
        return Feedback(True, f"{_format(question.answer)}. {question.explanation}")
    notes = [note for mistake, note in question.mistakes if abs(value - mistake) <= question.tolerance]
    return Feedback(False, " ".join([f"you gave {_format(value)}.", *notes[:1],
                                     f"The answer is {_format(question.answer)}.", question.explanation]))


def answer(lesson, number, choice) -> Feedback:
    """Check ``choice`` for question ``number`` (from 1) of ``lesson``.

    ``choice`` is an option's letter ("b") or text for a multiple-choice question, a number for a numeric
    one. Anything that cannot be checked gives a Feedback that says what is expected, never an exception.
    """
    try:
        key = lesson_key(lesson)
    except ValueError as error:
        return _unchecked(f"{error}.")
    asked = questions(key)
    if isinstance(number, bool) or not isinstance(number, numbers.Integral) or not 1 <= number <= len(asked):
        return _unchecked(f"lesson {key} has questions 1 to {len(asked)}; got question {number!r}.")
    question = asked[int(number) - 1]
    if isinstance(question, Choice):
        return _check_choice(question, int(number), choice)
    return _check_number(question, int(number), choice)


class QuizView:
    """A lesson's questions as one widget: per question its text (options lettered), a RadioButtons of the
    letters (none chosen at first) or a FloatText, a Check button and an HTML line for the feedback.

    ``controls[i]``, ``buttons[i]`` and ``feedback[i]`` belong to question i + 1; ``widget`` is the whole.
    Displayed, it shows the widget where widgets run and :func:`as_text` everywhere else.
    """

    def __init__(self, lesson):
        self.lesson = lesson_key(lesson)
        self.text = as_text(self.lesson)
        self.controls, self.buttons, self.feedback = [], [], []
        rows = [widgets.HTML(f"<b>Check your understanding</b>: {len(questions(self.lesson))} questions on "
                             f"lesson {self.lesson}.")]
        for number, question in enumerate(questions(self.lesson), start=1):
            # The option texts go in the HTML above the control, where long lines wrap; a radio button's
            # label would be cut off.
            shown_question = f"<b>{number}.</b> {html.escape(question.text, quote=False)}"
            if isinstance(question, Choice):
                letters = LETTERS[:len(question.options)]
                shown_question += "".join(f'<div style="margin-left: 1.5em">{letter}) '
                                          f"{html.escape(option, quote=False)}</div>"
                                          for letter, (option, _) in zip(letters, question.options))
                control = widgets.RadioButtons(options=list(letters), value=None, orientation="horizontal",
                                               layout=widgets.Layout(width="auto", margin="0.3em 1em 0 0.5em"))
            else:
                control = widgets.FloatText(value=0.0, description="answer", layout=widgets.Layout(width="16em"))
            button = widgets.Button(description="Check", tooltip=f"check your answer to question {number}")
            button.on_click(lambda _, number=number: self.check(number))
            feedback = widgets.HTML("")
            self.controls.append(control)
            self.buttons.append(button)
            self.feedback.append(feedback)
            rows.append(widgets.VBox([widgets.HTML(shown_question), widgets.HBox([control, button]), feedback],
                                     layout=widgets.Layout(margin="0.4em 0")))
        self.widget = widgets.VBox(rows)

    def check(self, number: int) -> Feedback:
        """Check question ``number``'s control as it stands and show the feedback under it."""
        result = answer(self.lesson, number, self.controls[number - 1].value)
        self.feedback[number - 1].value = result._repr_html_()
        return result

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/plain"] = self.text
        return bundle

    def __repr__(self) -> str:
        return self.text


def show(lesson) -> QuizView:
    """The lesson's questions as a widget, for the last cell of a lesson: ``quiz.show("05")``."""
    return QuizView(lesson)
