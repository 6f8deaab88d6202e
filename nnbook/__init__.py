"""nnbook: the small numpy library behind the course "How a neural network learns".

Three folders:

- ``nnbook/``, the library a learner reads: one module per idea (``encoding``, ``losses``, ``descent``,
  ``layers``, ``models``, ...), numpy only, each formula of a lesson written as code. Each module's
  docstring starts with the lessons it serves. ``nnbook.checks`` is where learners import the checks of
  their exercises: ``from nnbook import checks``.
- ``nnbook/lessons/``, the lesson helpers: the figures and live widgets the notebooks show (matplotlib,
  ipywidgets), drawing what the library computes.
- ``nnbook/tools/``, the course's machinery: the ``nnbook`` command, notebook execution, the exercise
  generator, grading and the report card.

Which lesson uses which module, and which checks belong to which lesson: :mod:`nnbook.tools.course_map`.
"""

__version__ = "0.1.0"
