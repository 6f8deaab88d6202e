"""Course tools, not lessons: the ``nnbook`` command, notebook execution, the exercise generator, grading,
the report card, and the course map (which lesson uses which notebook, modules and checks)."""
