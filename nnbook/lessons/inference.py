"""Lessons 09, 10: inference. A trained network answers for people it has never seen.

Training needed labels; predicting needs none. For a new person only the input is known, here the age::

    age (years)  ->  x = (age - 13) / (100 - 13)         the same scaling as in training
    x (n, 1)     ->  model.predict(x) (n, 2)             one row of probabilities per person
    row          ->  argmax -> class name                TRIAL_CLASSES[0] or TRIAL_CLASSES[1]

The probabilities are only probabilities if each row sums to 1, which a ``softmax`` output layer
guarantees (lesson 07); the functions here check it and refuse an untrained model.

Shapes: rows are samples. ``x`` is (n, 1), the probabilities (n, 2), label 1 = side effects.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.data import AGE_MAX, AGE_MIN, AGE_OLDER, TRIAL_CLASSES, scale_ages
from nnbook.encoding import decode
from nnbook.lessons import palette
from nnbook.lessons._explorer import Explorer, Picture, new_figure, set_legend_texts
from nnbook.lessons.alt import set_alt

PROBABILITY_COLOUR = palette.BLUISH_GREEN
BOUNDARY_COLOUR = palette.GREY
AGE_COLOUR = palette.VERMILLION


def _check_trained(model) -> None:
    """Refuse anything but an nnbook model that ``fit`` has trained."""
    if not (hasattr(model, "predict") and hasattr(model, "layers") and hasattr(model, "history")):
        raise TypeError(f"model must be a trained nnbook Sequential, got {_validate.describe(model)}")
    if not model.layers or getattr(model, "history", None) is None:
        raise ValueError("model has not been trained yet: call model.fit(x, labels, ...) first "
                         "(an untrained network's outputs come from its random initial weights)")


def predict_probabilities(model, x) -> np.ndarray:
    """The trained model's class probabilities for x: ``model.predict(x)``, checked to be probabilities.

    Args:
        model: a Sequential that ``fit`` has trained, whose output layer is ``softmax``.
        x: (n, features) inputs, scaled as in training.

    Returns:
        (n, classes) float array; each row is >= 0 and sums to 1.

    Raises:
        ValueError: for an untrained model, or outputs whose rows do not sum to 1 (e.g. a ``sigmoid``
            output layer with two units: use ``activation="softmax"``, see lesson 07).
    """
    _check_trained(model)
    x = _validate.float_array("x", x, ndim=2)
    probabilities = model.predict(x, verbose=0)
    sums = probabilities.sum(axis=1)
    if probabilities.shape[1] < 2 or np.any(probabilities < 0) or not np.allclose(sums, 1.0, atol=1e-6):
        worst = float(sums[np.argmax(np.abs(sums - 1))]) if sums.size else 1.0
        raise ValueError(f"the model's outputs are not probabilities: each row must have one value per class "
                         f"summing to 1, got {probabilities.shape[1]} column(s) with a row summing to {worst:.4f}; "
                         f"give the last Dense layer one unit per class and activation='softmax'")
    return probabilities


def predict_classes(model, x, class_names: Sequence[str]) -> list[str]:
    """The class name the trained model predicts for each row of x: the argmax of its probabilities.

    Args:
        model: a trained Sequential with a softmax output of one unit per class.
        x: (n, features) inputs, scaled as in training.
        class_names: the classes in label order, e.g. ``TRIAL_CLASSES``.

    Returns:
        a list of n names.
    """
    probabilities = predict_probabilities(model, x)
    if isinstance(class_names, (list, tuple)) and len(class_names) != probabilities.shape[1]:
        raise ValueError(f"class_names must name the model's {probabilities.shape[1]} outputs, got "
                         f"{len(class_names)} names {list(class_names)!r}")
    return decode(probabilities, class_names)


def ages_to_inputs(ages) -> np.ndarray:
    """Ages in years to the network's input: ``x = (age - 13) / (100 - 13)``, one row per person.

    Args:
        ages: a number or a sequence of ages, each within the study's range 13..100 (the network never saw
            other ages, so its answer there would be a guess beyond its data).

    Returns:
        float array of shape (n, 1).
    """
    if isinstance(ages, bool) or (isinstance(ages, (list, tuple)) and any(isinstance(a, bool) for a in ages)):
        raise TypeError(f"ages must be numbers of years, got {_validate.describe(ages)}")
    years = _validate.float_array("ages", ages, ndim=(0, 1)).reshape(-1)
    outside = years[(years < AGE_MIN) | (years > AGE_MAX)]
    if outside.size:
        raise ValueError(f"ages must be within the study's range {AGE_MIN} to {AGE_MAX} years, got "
                         f"{outside[0]:g}")
    return scale_ages(years).reshape(-1, 1)


class AgePrediction(NamedTuple):
    """What the trained network says about one person of a given age."""

    age: float          #: the age in years
    x: float            #: the scaled input the network sees, (age - 13) / 87
    probability: float  #: the predicted probability of side effects, P(label 1)
    class_name: str     #: the predicted class: "side effects" when probability > 0.5


def age_prediction(model, age) -> AgePrediction:
    """One person: age -> scaled input -> probability of side effects -> predicted class.

    Args:
        model: a trained Sequential on the drug-trial data (one input, softmax over the two outcomes).
        age: the age in years, a number within 13..100.
    """
    if isinstance(age, bool) or not isinstance(age, numbers.Real) or not math.isfinite(age):
        raise TypeError(f"age must be a number of years, got {_validate.describe(age)}")
    x = ages_to_inputs(age)
    probabilities = predict_probabilities(model, x)[0]
    if probabilities.size != len(TRIAL_CLASSES):
        raise ValueError(f"model must have {len(TRIAL_CLASSES)} outputs {TRIAL_CLASSES}, got {probabilities.size}")
    return AgePrediction(float(age), float(x[0, 0]), float(probabilities[1]), decode(probabilities, TRIAL_CLASSES))


def prediction_sentence(prediction: AgePrediction) -> str:
    """The prediction in words, e.g. ``Age 70 (input 0.6552): 97.3% chance of side effects, so the network
    predicts "side effects".``"""
    if not isinstance(prediction, AgePrediction):
        raise TypeError(f"prediction must be an AgePrediction, got {_validate.describe(prediction)}")
    return (f"Age {prediction.age:g} (input {prediction.x:.4f}): {prediction.probability:.1%} chance of "
            f"{TRIAL_CLASSES[1]}, so the network predicts \"{prediction.class_name}\".")


def probability_by_age(model, ages=None) -> tuple[np.ndarray, np.ndarray]:
    """The predicted probability of side effects for each age.

    Args:
        model: a trained drug-trial model.
        ages: the ages in years (default: every whole age 13..100).

    Returns:
        ``(ages, probabilities)``, two float arrays of shape (m,).
    """
    ages = np.arange(AGE_MIN, AGE_MAX + 1, dtype=float) if ages is None else \
        _validate.float_array("ages", ages, ndim=1)
    probabilities = predict_probabilities(model, ages_to_inputs(ages))
    return ages, probabilities[:, 1]


def probability_figure(model, *, age=None, people=None, ax=None, title: str | None = None) -> Figure:
    """The trained network's probability of side effects over the ages 13..100.

    Args:
        model: a trained drug-trial model.
        age: an age to mark with its prediction (the slider's value), or None.
        people: optional ``(ages, labels)`` of people to show as dots at 0 or 1 (e.g. the training set).
        ax: the axes to draw on (a new figure when None).
        title: the axes' title.

    Returns:
        the figure. Its first line, labelled ``"P(side effects)"``, holds :func:`probability_by_age`; then
        the boundary at 65 (``"age 65"``), the 50% line, and the marked age if any (``"age <a>"``).
    """
    return ProbabilityByAgePicture(model, age=age, people=people, ax=ax, title=title).figure


class ProbabilityByAgePicture(Picture):
    """:func:`probability_figure` as a picture; ``update(age)`` moves the marked age (drawn with one) in place."""

    def __init__(self, model, *, age=None, people=None, ax=None, title: str | None = None, live: bool = False):
        ages, probabilities = probability_by_age(model)
        self.model, self.ages, self.probabilities, self.people = model, ages, probabilities, None
        marked = None if age is None else age_prediction(model, age)
        self.marked = marked
        if ax is None:
            self.figure, ax = new_figure((7, 3.8), live=live)
        else:
            self.figure = ax.figure
        self.ax = ax
        ax.plot(ages, probabilities, color=PROBABILITY_COLOUR, linewidth=2, label=f"P({TRIAL_CLASSES[1]})")
        ax.axvline(AGE_OLDER, color=BOUNDARY_COLOUR, linestyle="--", linewidth=1,
                   label=f"age {AGE_OLDER}: younger | older")
        ax.axhline(0.5, color=BOUNDARY_COLOUR, linestyle=":", linewidth=1, label="50%: the class changes")
        if people is not None:
            people_ages = _validate.float_array("people ages", people[0], ndim=1)
            labels = _validate.float_array("people labels", people[1], ndim=1)
            ax.plot(people_ages, labels, "o", color="0.3", markersize=4, alpha=0.6,
                    label=f"people ({len(people_ages)}): 1 = {TRIAL_CLASSES[1]}")
            self.people = (people_ages, labels)
        self.marker = None
        if marked is not None:
            self.marker, = ax.plot([marked.age], [marked.probability], "o", color=AGE_COLOUR, markersize=8,
                                   label=self._label(marked))
        ax.set_xlim(AGE_MIN - 2, AGE_MAX + 2)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("age (years)")
        ax.set_ylabel(f"P({TRIAL_CLASSES[1]})")
        ax.set_title(title if title is not None else "what the trained network predicts at each age")
        ax.legend(fontsize="small", loc="upper left")
        set_alt(ax, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The axes in words: the probability at both ends, the ages where it is above 50%, the marked age."""
        ages, p = self.ages, self.probabilities
        name = f"P({TRIAL_CLASSES[1]})"
        above = ages[p > 0.5]
        where = "never above 50%" if above.size == 0 else \
            f"above 50% from age {above.min():g}" if np.all(p[ages >= above.min()] > 0.5) else \
            f"above 50% at {above.size} of the {ages.size} ages, from age {above.min():g} to {above.max():g}"
        text = (f"{self.ax.get_title()}: {name} over the ages {ages[0]:g} to {ages[-1]:g}, {p[0]:.1%} at "
                f"{ages[0]:g} and {p[-1]:.1%} at {ages[-1]:g}, {where}")
        if self.people is not None:
            people_ages, labels = self.people
            text += (f"; {len(people_ages)} people drawn as dots, {int(np.sum(labels == 1))} of them with "
                     f"{TRIAL_CLASSES[1]}")
        if self.marked is not None:
            text += f"; marked: age {self.marked.age:g}, {self.marked.probability:.1%}"
        return text + "."

    @staticmethod
    def _label(marked: AgePrediction) -> str:
        return f"age {marked.age:g}: {marked.probability:.1%}"

    def moving(self) -> list:
        return [] if self.marker is None else [self.marker, self.ax.get_legend()]

    def update(self, age) -> None:
        """Mark the prediction at ``age`` instead."""
        if self.marker is None:
            raise ValueError("this picture was drawn without an age to move: give probability_figure an age")
        marked = age_prediction(self.model, age)
        self.marked = marked
        self.marker.set_data([marked.age], [marked.probability])
        self.marker.set_label(self._label(marked))
        set_legend_texts(self.ax, [line.get_label() for line in self.ax.get_lines()
                                   if not line.get_label().startswith("_")])


class AgeSlider:
    """An age slider (13..100) showing the trained network's probability of side effects and its class.

    ``slider.widget`` is what a notebook displays (an :class:`~nnbook.lessons._explorer.Explorer`);
    ``slider.age`` (IntSlider, live while dragged) is the control; ``slider.readout`` (HTML) shows
    :func:`prediction_sentence`; ``slider.prediction`` is the last :class:`AgePrediction`; ``slider.image``
    shows ``slider.picture``, a :class:`ProbabilityByAgePicture` with the age marked (None with
    ``draw=False``), and ``slider.figures_drawn`` counts how often it was redrawn.
    """

    def __init__(self, model, *, age: int = 50, draw: bool = True):
        import ipywidgets as widgets

        _check_trained(model)
        self.model, self.draw = model, draw
        start = age_prediction(model, age)      # checks the age
        self.age = widgets.IntSlider(value=int(round(start.age)), min=AGE_MIN, max=AGE_MAX, step=1,
                                     description="age", continuous_update=True)
        self.prediction: AgePrediction | None = None
        self.picture = ProbabilityByAgePicture(model, age=self.age.value, live=True) if draw else None
        self.widget = Explorer([self.age], self._report, self.picture, lambda: self.picture.update(self.age.value),
                               paragraph=True)
        self.readout, self.image = self.widget.readout, self.widget.image

    @property
    def figures_drawn(self) -> int:
        """How many times the picture was drawn."""
        return self.widget.draws

    def _report(self) -> str:
        self.prediction = age_prediction(self.model, self.age.value)
        return prediction_sentence(self.prediction)

    def update(self) -> AgePrediction:
        """Predict for the slider's age; refresh the readout and the figure."""
        self.widget.refresh()
        return self.prediction
