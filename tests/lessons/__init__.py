"""The lesson tests, one file per lesson (test_lesson_NN.py).

A package so that its modules are imported as lessons.test_lesson_NN: tests/unit/exercise_checks/ holds files of
the same names, and pytest's default import mode refuses two top-level modules named test_lesson_NN.
"""
