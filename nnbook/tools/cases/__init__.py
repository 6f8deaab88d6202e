"""The cases behind each lesson's checks: reference answers, hidden cases and the usual mistakes.

One module per lesson; :mod:`nnbook.checks` gathers them for learners."""
