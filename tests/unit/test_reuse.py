"""checks.functions_from: the learner's functions from another saved exercise notebook."""

from __future__ import annotations

import json
import pathlib

import nbformat
import pytest

from nnbook.tools.reuse import functions_from

DOUBLE = 'def double(x):\n    """Twice x."""\n    return 2 * x\n'
HALF = "def half(x):\n    return x / 2\n"


def write_notebook(path: pathlib.Path, *cells) -> pathlib.Path:
    """A notebook at ``path`` whose cells are the strings ``cells`` (code) or ``("md", text)`` (markdown)."""
    notebook = nbformat.v4.new_notebook()
    for cell in cells:
        if isinstance(cell, tuple):
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            notebook.cells.append(nbformat.v4.new_code_cell(cell))
    nbformat.write(notebook, path)
    return path


def test_returns_the_functions_in_the_order_asked_and_one_function_for_one_name(tmp_path, monkeypatch):
    write_notebook(tmp_path / "05_x.ipynb", ("md", "# Exercises"), DOUBLE, HALF)
    monkeypatch.chdir(tmp_path)                       # in JupyterLab, the notebook's own folder
    half, double = functions_from("05_x.ipynb", "half", "double")
    assert (half(3), double(3)) == (1.5, 6)
    assert functions_from("05_x.ipynb", "double")(4) == 8
    assert functions_from(tmp_path / "05_x.ipynb", "half")(1) == 0.5          # an absolute path too
    assert functions_from("05_x", "half")(1) == 0.5                           # .ipynb may be left out


def test_runs_the_import_cells_and_the_defining_cells_but_never_checks_try_it_or_other_cells(tmp_path):
    marker = tmp_path / "ran.txt"
    path = write_notebook(
        tmp_path / "nb.ipynb",
        "%matplotlib inline\nimport numpy as np\nfrom math import pi",
        f"open({str(marker)!r}, 'w').write('try it')",                          # a try-it cell: must not run
        "def area(r):\n    return pi * np.square(r)",
        f"from nnbook import checks\nchecks.sse(area)\nopen({str(marker)!r}, 'w').write('check')",
        "raise RuntimeError('a later cell that fails')",
    )
    area = functions_from(str(path), "area")
    assert area(2.0) == pytest.approx(12.566370614359172)
    assert not marker.exists()


def test_the_functions_live_in_a_fresh_namespace_of_their_own(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", "import math", "def root(x):\n    return math.sqrt(x)")
    root = functions_from(path, "root")
    assert root(9.0) == 3.0
    assert set(root.__globals__) >= {"math", "root"} and "functions_from" not in root.__globals__
    assert root.__globals__ is not functions_from(path, "root").__globals__   # a new namespace every call


def test_the_last_definition_wins_as_when_the_notebook_runs_top_to_bottom(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", "def f():\n    return 1", "def f():\n    return 2")
    assert functions_from(path, "f")() == 2


def test_a_function_still_raising_not_implemented_comes_back_as_it_is(tmp_path):
    stub = 'def dense_forward(x, W, b):\n    # YOUR CODE HERE\n    raise NotImplementedError("write it")\n'
    dense_forward = functions_from(write_notebook(tmp_path / "nb.ipynb", stub), "dense_forward")
    with pytest.raises(NotImplementedError, match="write it"):
        dense_forward(1, 2, 3)


def test_a_missing_notebook_names_the_path_and_says_to_save_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as error:
        functions_from("05_backpropagation.ipynb", "dense_forward")
    assert "05_backpropagation.ipynb" in str(error.value) and str(tmp_path) in str(error.value)
    assert "save it first" in str(error.value)


def test_a_name_no_cell_defines_is_named(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", DOUBLE, "triple = lambda x: 3 * x")
    with pytest.raises(NameError, match="triple is not defined in .*nb.ipynb") as error:
        functions_from(path, "double", "triple")
    assert "def triple(" in str(error.value)


@pytest.mark.parametrize("content", ["{ half a notebook", json.dumps({"cells": "nope"}), json.dumps([1, 2])])
def test_an_unreadable_notebook_is_a_value_error_naming_it(tmp_path, content):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    with pytest.raises(ValueError, match="broken.ipynb is not a notebook that can be read"):
        functions_from(path, "double")


def test_a_cell_that_raises_while_defining_is_named_with_its_error(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", ("md", "intro"), DOUBLE,
                          "scale = 1 / 0\n\ndef scaled(x):\n    return scale * x")
    with pytest.raises(RuntimeError) as error:
        functions_from(path, "scaled")
    message = str(error.value)
    assert "cell 3 of" in message and "ZeroDivisionError: division by zero" in message
    assert "'scale = 1 / 0'" in message and isinstance(error.value.__cause__, ZeroDivisionError)


def test_a_defining_cell_with_a_syntax_error_is_named(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", "def broken(x):\n    return (x")
    with pytest.raises(RuntimeError, match="cell 1 of .* does not run: SyntaxError"):
        functions_from(path, "broken")


def test_an_error_inside_a_reused_function_points_at_its_notebook_cell_and_line(tmp_path):
    import traceback

    path = write_notebook(tmp_path / "05_x.ipynb", "import numpy as np",
                          "def first_row(x):\n    x = np.asarray(x)\n    return x[5]")
    first_row = functions_from(path, "first_row")
    with pytest.raises(IndexError) as error:
        first_row([1, 2])
    frame = traceback.extract_tb(error.value.__traceback__)[-1]
    assert frame.filename == "05_x.ipynb, cell 2" and frame.lineno == 3 and frame.line == "return x[5]"


@pytest.mark.parametrize("args, message", [
    ((5, "f"), "notebook must be the notebook's file name"),
    (("nb.ipynb",), "needs at least one function name"),
    (("nb.ipynb", 3), "names must be function names"),
    (("nb.ipynb", "not a name"), "names must be function names"),
])
def test_arguments_of_the_wrong_kind_are_type_errors(args, message):
    with pytest.raises(TypeError, match=message):
        functions_from(*args)


# ----- what the functions need from the other cells (issue 20) -------------------------------------

def test_an_import_cell_holding_another_line_still_gives_its_imports(tmp_path):
    marker = tmp_path / "ran.txt"
    path = write_notebook(
        tmp_path / "nb.ipynb",
        f"import numpy as np\nnp.set_printoptions(precision=4)\nopen({str(marker)!r}, 'w').write('ran')",
        "def total(x):\n    return float(np.sum(x))",
    )
    assert functions_from(str(path), "total")([1.0, 2.5]) == 3.5
    assert not marker.exists()                        # the cell's other lines did not run


def test_a_helper_in_its_own_cell_is_defined_but_that_cells_other_lines_do_not_run(tmp_path):
    marker = tmp_path / "ran.txt"
    path = write_notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np",
        f"def square(x):\n    return np.square(x)\n\nopen({str(marker)!r}, 'w').write('ran')",
        "def sum_of_squares(x):\n    return float(np.sum(square(x)))",
    )
    assert functions_from(str(path), "sum_of_squares")([1.0, 2.0]) == 5.0
    assert not marker.exists()


def test_a_decorated_definition_in_another_cell_is_not_run(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        "@print_me\ndef shown():\n    pass",             # print_me is undefined: running it would fail
        "def half(x):\n    return x / 2",
    )
    assert functions_from(str(path), "half")(3) == 1.5


def test_a_name_only_an_assignment_in_another_cell_makes_is_named_with_its_cell_and_line(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np\nscale = 2.0",
        "def scaled(x):\n    return scale * np.asarray(x)",
    )
    with pytest.raises(NameError, match=r"scaled uses scale, which only line 2 of cell 1 .* 'scale = 2.0'"):
        functions_from(str(path), "scaled")


# ----- a notebook that itself takes functions from another (exercise 11 takes 06's train_epoch, which uses 05's)

def test_a_notebooks_own_functions_from_line_runs_relative_to_its_folder(tmp_path, monkeypatch):
    course = tmp_path / "exercises"
    course.mkdir()
    write_notebook(course / "05_x.ipynb", DOUBLE)
    write_notebook(course / "06_x.ipynb", "from nnbook import checks",
                   'double = checks.functions_from("05_x.ipynb", "double")',
                   "print('a try-it line that must not run')\ndouble(1)",
                   "def quadruple(x):\n    return double(double(x))\n")
    monkeypatch.chdir(tmp_path)                       # not the notebooks' folder: 05_x is found beside 06_x
    quadruple = functions_from("exercises/06_x.ipynb", "quadruple")
    assert quadruple(3) == 12


def test_notebooks_taking_functions_from_each_other_are_a_cycle_named_in_order(tmp_path, monkeypatch):
    write_notebook(tmp_path / "a.ipynb", "from nnbook import checks", 'g = checks.functions_from("b.ipynb", "g")',
                   "def f():\n    return g()\n")
    write_notebook(tmp_path / "b.ipynb", "from nnbook import checks", 'f = checks.functions_from("a.ipynb", "f")',
                   "def g():\n    return 1\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError, match=r"a\.ipynb -> b\.ipynb -> a\.ipynb") as raised:
        functions_from("a.ipynb", "f")
    assert "cell 2 of a.ipynb" in str(raised.value)     # the line that started it is named
