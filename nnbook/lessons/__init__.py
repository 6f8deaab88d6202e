"""Lesson helpers: the figures and live widgets the notebooks show.

They draw what the library computes and never compute it again; each widget's logic is a plain function
the tests call. Unlike the library one folder up, these modules import matplotlib and ipywidgets.
"""

from nnbook.lessons import alt as _alt

# In a notebook, every figure is shown with its alt text from now on (nnbook.lessons.alt).
_alt.install()
