"""Course tools, not lessons: the ``nnbook`` command, notebook execution, the exercise generator, grading
and the report card."""
