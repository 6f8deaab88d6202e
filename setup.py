"""The course's notebooks ride in the wheel: ``nnbook start`` copies them out of the installed package.

Everything else is in pyproject.toml. The lessons (``course/``), the exercise notebooks (``exercises/``) and
their solutions (``solutions/``) live at the top of the repository, beside ``nnbook/``, so that a clone opens as
a course; this build step copies each numbered notebook into the built package as
``nnbook/notebooks/<folder>/NN_slug.ipynb``. An editable install skips it: ``nnbook start`` then copies from the
checkout itself.
"""

import pathlib
import re

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("course", "exercises", "solutions")
NUMBERED = re.compile(r"\d\d_[a-z0-9_]+\.ipynb")


class build_py_with_notebooks(build_py):
    """setuptools' build_py, then the course's numbered notebooks copied under ``nnbook/notebooks/``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = pathlib.Path(__file__).resolve().parent
        for folder in FOLDERS:
            target = pathlib.Path(self.build_lib, "nnbook", "notebooks", folder)
            self.mkpath(str(target))
            for notebook in sorted((here / folder).glob("*.ipynb")):
                if NUMBERED.fullmatch(notebook.name):
                    self.copy_file(str(notebook), str(target / notebook.name))


setup(cmdclass={"build_py": build_py_with_notebooks})
