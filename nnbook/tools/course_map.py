"""The course map: which notebook, library modules, lesson helpers and checks belong to each lesson.

One table, :data:`LESSONS`, written by hand, and four small look-ups. Everything else that names a
lesson's parts must agree with it, and ``tests/unit/test_course_map.py`` reads each of them and compares:
the notebooks in ``course/``, ``exercises/`` and ``solutions/``, the imports of each lesson notebook, the
checks each solution notebook calls, ``nnbook.checks.__all__``, README.md's lesson table, and the first line
of each module's docstring ("Lesson 04: ...", "Lessons 05-10: ...", "Lessons 01, 03, 04: ..."). When a
lesson changes what it uses, change its row here first.

Each lesson names:

- ``modules``: the library modules (``nnbook/<name>.py``) its notebook imports;
- ``helpers``: the lesson helpers (``nnbook/lessons/<name>.py``) its notebook imports;
- ``checks``: the checks (``nnbook.checks.<name>``) its solution and exercise notebooks call. A lesson with
  checks has ``solutions/NN_slug.ipynb`` and ``exercises/NN_slug.ipynb``; a lesson without has neither;
- ``indirect``: library modules the lesson explains although its notebook does not import them, because
  it reaches them through another module: ``Dense(activation="relu")`` runs :mod:`nnbook.activations`,
  ``fit`` returns the ``History`` of :mod:`nnbook.callbacks` and its accuracy comes from
  :mod:`nnbook.metrics`.

Module names are short: ``"encoding"`` is ``nnbook/encoding.py``, ``"curves"`` is ``nnbook/lessons/curves.py``.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course: ``course/<number>_<slug>.ipynb``."""

    number: str                       # "00" .. "11"
    slug: str                         # "labels_and_one_hot"
    title: str                        # as README.md shows it: "Labels and one-hot"
    modules: tuple[str, ...] = ()     # library modules its notebook imports
    helpers: tuple[str, ...] = ()     # nnbook.lessons modules its notebook imports
    checks: tuple[str, ...] = ()      # nnbook.checks functions its exercise notebook calls
    indirect: tuple[str, ...] = ()    # library modules it explains without importing them

    @property
    def stem(self) -> str:
        """``"02_labels_and_one_hot"``: the notebook's name in every folder, without ``.ipynb``."""
        return f"{self.number}_{self.slug}"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "start_here", "Start here",
           modules=("encoding",), helpers=("widgets",)),
    Lesson("01", "training_is_optimisation", "Training is optimisation",
           modules=("losses", "descent"), helpers=("plots", "widgets", "quiz"),
           checks=("softmax",),
           indirect=("activations",)),
    Lesson("02", "labels_and_one_hot", "Labels and one-hot",
           modules=("encoding", "data"), helpers=("widgets", "quiz"),
           checks=("one_hot",)),
    Lesson("03", "loss_functions", "Loss functions",
           modules=("losses", "encoding", "data"), helpers=("plots", "widgets", "quiz"),
           checks=("sse", "mse")),
    Lesson("04", "gradient_descent", "Gradient descent",
           modules=("descent",), helpers=("plots", "surfaces", "widgets", "quiz"),
           checks=("update_weight", "gradient_descent")),
    Lesson("05", "backpropagation", "Backpropagation",
           modules=("layers", "models", "descent", "data"),
           helpers=("training_widgets", "graph", "quiz"),
           checks=("numerical_gradient", "dense_forward", "dense_backward", "relu_backward",
                   "softmax_crossentropy_backward"),
           indirect=("activations", "losses")),
    Lesson("06", "training_loop", "The training loop",
           modules=("models", "layers", "optimizers", "losses", "data"),
           helpers=("diagrams", "training_widgets", "quiz"),
           checks=("iterations_per_epoch", "train_epoch"),
           indirect=("callbacks", "metrics")),
    Lesson("07", "keras_style_training", "Keras-style training",
           modules=("models", "layers", "optimizers", "utils", "data"), helpers=("quiz",),
           checks=("adam_step",),
           indirect=("activations", "callbacks", "losses", "metrics")),
    Lesson("08", "training_plots", "Training plots",
           modules=("models", "layers", "optimizers", "callbacks", "data"), helpers=("curves", "quiz"),
           checks=("accuracy",),
           indirect=("metrics",)),
    Lesson("09", "inference", "Inference",
           modules=("models", "layers", "optimizers", "encoding", "data"),
           helpers=("diagrams", "inference", "quiz"),
           checks=("scale_like_training",)),
    Lesson("10", "validation", "Validation",
           modules=("models", "layers", "optimizers", "data"), helpers=("curves", "inference", "quiz"),
           checks=("split_validation",),
           indirect=("callbacks",)),
    Lesson("11", "images", "Images",
           modules=("data", "encoding", "layers", "models", "optimizers"),
           helpers=("curves", "draw", "images", "quiz"), checks=("flatten_images", "confusion_matrix")),
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
    known = ", ".join(check for entry in LESSONS for check in entry.checks)
    raise ValueError(f"name must be one of the course's checks ({known}), got {name!r}")


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
