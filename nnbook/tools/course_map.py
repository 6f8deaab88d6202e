"""The course map: which notebook, library modules, lesson helpers and checks belong to each lesson.

One table, :data:`LESSONS`, written by hand, and a few small look-ups. A lesson's checks are registered
beside their cases, in ``CHECKS`` of ``nnbook/tools/cases/lesson_NN.py`` (name -> nbgrader points), and read
from there. ``nnbook.checks`` and the nbgrader export read this map; README.md's lesson table and lesson 00's
are written from it by ``nnbook tables`` (:mod:`nnbook.tools.lesson_tables`). ``tests/unit/test_course_map.py``
compares the rest with it: the notebooks in ``course/``, ``exercises/`` and ``solutions/``, the imports of each
lesson notebook, the checks each exercise notebook calls, and the first line of each module's docstring
("Lesson 04: ...", "Lessons 05-10: ...", "Lessons 01, 03, 04: ..."). When a lesson changes what it uses,
change its row here first.

Each lesson names:

- ``modules``: the library modules (``nnbook/<name>.py``) its notebook imports;
- ``helpers``: the lesson helpers (``nnbook/lessons/<name>.py``) its notebook imports;
- ``summary``: what the lesson teaches, for the lesson tables;
- ``checks`` (read from its cases module): the checks (``nnbook.checks.<name>``) its solution and exercise
  notebooks call. A lesson with checks has ``solutions/NN_slug.ipynb`` and ``exercises/NN_slug.ipynb``; a
  lesson without has neither;
- ``indirect``: library modules the lesson explains although its notebook does not import them, because
  it reaches them through another module: ``Dense(activation="relu")`` runs :mod:`nnbook.activations`,
  ``fit`` returns the ``History`` of :mod:`nnbook.callbacks` and its accuracy comes from
  :mod:`nnbook.metrics`.

Module names are short: ``"encoding"`` is ``nnbook/encoding.py``, ``"curves"`` is ``nnbook/lessons/curves.py``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pathlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course: ``course/<number>_<slug>.ipynb``."""

    number: str                       # "00" .. "11"
    slug: str                         # "labels_and_one_hot"
    title: str                        # as README.md shows it: "Labels and one-hot"
    summary: str                      # what you learn, as the lesson tables show it
    modules: tuple[str, ...] = ()     # library modules its notebook imports
    helpers: tuple[str, ...] = ()     # nnbook.lessons modules its notebook imports
    indirect: tuple[str, ...] = ()    # library modules it explains without importing them

    @property
    def stem(self) -> str:
        """``"02_labels_and_one_hot"``: the notebook's name in every folder, without ``.ipynb``."""
        return f"{self.number}_{self.slug}"

    @property
    def cases(self):
        """The module ``nnbook.tools.cases.lesson_NN`` that holds this lesson's checks, or None (no exercises)."""
        name = f"nnbook.tools.cases.lesson_{self.number}"
        return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None

    @property
    def checks(self) -> tuple[str, ...]:
        """The names of this lesson's checks, in the order its exercise notebook calls them: ``("sse", "mse")``."""
        cases = self.cases
        return tuple(cases.CHECKS) if cases is not None else ()


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "start_here", "Start here",
           summary="how to use the course: JupyterLab, cells, widgets, check cells",
           modules=("encoding",), helpers=("widgets",)),
    Lesson("01", "training_is_optimisation", "Training is optimisation",
           summary="weights, the forward pass, probabilities out (75% cat, 25% dog), loss, optimizer, SGD, "
                   "epoch",
           modules=("losses", "descent"), helpers=("plots", "widgets", "quiz"),
           indirect=("activations",)),
    Lesson("02", "labels_and_one_hot", "Labels and one-hot",
           summary="labelled data, integer vs one-hot encoding, the class map, argmax back to a name",
           modules=("encoding", "data"), helpers=("widgets", "quiz")),
    Lesson("03", "loss_functions", "Loss functions",
           summary="SSE (0.6638 worked out), MSE over a batch, batches and iterations",
           modules=("losses", "encoding", "data"), helpers=("plots", "widgets", "quiz")),
    Lesson("04", "gradient_descent", "Gradient descent",
           summary="the loss bowl, the slope's sign, the update rule (0.38 -> 0.3855), learning rates",
           modules=("descent",), helpers=("plots", "surfaces", "widgets", "quiz")),
    Lesson("05", "backpropagation", "Backpropagation",
           summary="the chain rule through a dense network, checking gradients numerically",
           modules=("layers", "models", "descent", "data"),
           helpers=("training_widgets", "graph", "quiz"),
           indirect=("activations", "losses")),
    Lesson("06", "training_loop", "The training loop",
           summary="forward, loss, backprop, update; batches, shuffling, epochs; your own network trains",
           modules=("models", "layers", "optimizers", "losses", "data"),
           helpers=("diagrams", "training_widgets", "quiz"),
           indirect=("callbacks", "metrics")),
    Lesson("07", "keras_style_training", "Keras-style training",
           summary="the same model with a Keras-like API, Adam, the training log, sigmoid vs softmax",
           modules=("models", "layers", "optimizers", "utils", "data"), helpers=("alt", "palette", "quiz"),
           indirect=("activations", "callbacks", "losses", "metrics")),
    Lesson("08", "training_plots", "Training plots",
           summary="loss and accuracy per epoch, why the curve flattens",
           modules=("models", "layers", "optimizers", "callbacks", "data"), helpers=("curves", "quiz"),
           indirect=("metrics",)),
    Lesson("09", "inference", "Inference",
           summary="predicting people the model never saw, probabilities to class names",
           modules=("models", "layers", "optimizers", "encoding", "data"),
           helpers=("diagrams", "inference", "quiz")),
    Lesson("10", "validation", "Validation",
           summary="held-out data, the validation split, under- and over-fitting",
           modules=("models", "layers", "optimizers", "data"), helpers=("curves", "inference", "quiz"),
           indirect=("callbacks",)),
    Lesson("11", "images", "Images",
           summary="1797 handwritten digits: pictures as arrays, flattening, ten classes, mistakes and the "
                   "confusion matrix, what the first layer learned",
           modules=("data", "encoding", "layers", "models", "optimizers"),
           helpers=("curves", "draw", "images", "quiz")),
)


def by_number(number: str | int) -> Lesson:
    """The lesson numbered ``number``: ``by_number("02")`` or ``by_number(2)``."""
    wanted = f"{number:02d}" if isinstance(number, int) else str(number)
    for entry in LESSONS:
        if entry.number == wanted:
            return entry
    raise ValueError(f"number must be a lesson number from {LESSONS[0].number} to {LESSONS[-1].number}, "
                     f"got {number!r}")


def notebook(lesson: Lesson | str | int, folder: str = "course") -> pathlib.Path:
    """The lesson's notebook in ``folder``, relative to the course folder: ``course/02_labels_and_one_hot.ipynb``."""
    entry = lesson if isinstance(lesson, Lesson) else by_number(lesson)
    return pathlib.Path(folder) / f"{entry.stem}.ipynb"


def lesson_for_check(name: str) -> Lesson:
    """The lesson whose exercises hold the check ``name``: ``lesson_for_check("sse")`` is lesson 03."""
    for entry in LESSONS:
        if name in entry.checks:
            return entry
    known = ", ".join(all_checks())
    raise ValueError(f"name must be one of the course's checks ({known}), got {name!r}")


def points(check: str) -> int:
    """What the check ``check`` is worth in the nbgrader export, from its lesson's ``CHECKS``."""
    return lesson_for_check(check).cases.CHECKS[check]


def checked_function(check: str) -> str:
    """The learner's function the check ``check`` grades: its own name (``sse``), or for a check of a function
    written in an earlier exercise, that function's (``train_digits`` grades ``train_epoch``). A check's one
    parameter is named ``student_<function>``."""
    parameter = next(iter(inspect.signature(getattr(lesson_for_check(check).cases, check)).parameters))
    return parameter.removeprefix("student_")


def check_call(check: str) -> str:
    """The line of an exercise notebook that runs the check: ``checks.sse(sse)``,
    ``checks.train_digits(train_epoch)``."""
    return f"checks.{check}({checked_function(check)})"


def all_checks() -> tuple[str, ...]:
    """Every check of the course, lesson by lesson, in the order the exercise notebooks call them."""
    return tuple(check for entry in LESSONS for check in entry.checks)


def lessons_teaching(module: str) -> tuple[Lesson, ...]:
    """The lessons that use ``module`` (a library module or a lesson helper), in course order; ``()`` if none."""
    return tuple(entry for entry in LESSONS
                 if module in entry.modules or module in entry.helpers or module in entry.indirect)


def course_folder(start: str | pathlib.Path | None = None) -> pathlib.Path:
    """The course folder: the nearest folder, from ``start`` (default: the current one) up, holding ``course/``
    or ``solutions/``. A notebook in ``course/`` or ``exercises/`` finds it one level up."""
    here = pathlib.Path(start or pathlib.Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "course").is_dir() or (folder / "solutions").is_dir():
            return folder
    raise FileNotFoundError(f"no course folder (one holding course/ or solutions/) at {here} or above: "
                            f"run this inside the course folder")
