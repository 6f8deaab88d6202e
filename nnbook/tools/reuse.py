"""Reusing the learner's own functions from another exercise notebook: ``checks.functions_from``.

Lesson 06's capstone trains a network with the ``dense_forward``, ``dense_backward``, ... that the learner
wrote in exercise notebook 05. :func:`functions_from` reads that notebook as saved, runs the cells that define
a wanted function and, of every other cell, its imports and its plain ``def``/``class`` statements (what a
function may need), in a namespace of their own, and hands the functions back.
"""

from __future__ import annotations

import ast
import builtins
import dis
import json
import linecache
import os
import pathlib
import re

__all__ = ["functions_from"]


def functions_from(notebook, *names):
    """The functions ``names`` as defined in the exercise notebook ``notebook``, in the order asked.

    It reads the SAVED file: save the other notebook first (Ctrl+S in JupyterLab), or its last changes are
    not seen. ``notebook`` is a path relative to the current folder (in JupyterLab, the folder of the
    notebook you are in), or an absolute path. The cells that define a wanted function (``def name(``) run
    in a fresh namespace, top to bottom; of the other cells only the imports and the plain (undecorated)
    ``def`` and ``class`` statements run, so helpers and modules the functions use are there, while try-it
    lines, checks and plots are not run. Its own ``... = checks.functions_from(...)`` lines run too (relative
    to its folder), so exercise 11 can take exercise 06's ``train_epoch`` with the exercise-05 functions it
    calls. A wanted function that uses a name that only such a skipped line
    makes (``scale = 2`` in another cell) is a NameError saying which cell and line. A function that still
    raises ``NotImplementedError`` comes back as it is, so a later check can say that it is not written yet.

    Returns one function for one name, else a tuple in the order of ``names``::

        dense_forward, dense_backward = checks.functions_from("05_backpropagation.ipynb",
                                                              "dense_forward", "dense_backward")

    Raises FileNotFoundError (no such notebook), ValueError (not a readable notebook), NameError (a name no
    cell defines), RuntimeError (a cell failed while defining) and TypeError (arguments of the wrong kind).
    """
    if not isinstance(notebook, (str, os.PathLike)):
        raise TypeError(f"notebook must be the notebook's file name as a string, such as "
                        f"'05_backpropagation.ipynb', got {type(notebook).__name__}")
    if not names:
        raise TypeError("functions_from needs at least one function name after the notebook, such as "
                        "functions_from('05_backpropagation.ipynb', 'dense_forward')")
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"names must be function names as strings, such as 'dense_forward', got {name!r}")
    path = _find(pathlib.Path(notebook))
    if path.resolve() in _reading:
        chain = " -> ".join(p.name for p in [*_reading, path.resolve()])
        raise RuntimeError(f"{path} brings in functions from itself, through other notebooks' functions_from "
                           f"lines ({chain}): a notebook can only take functions from notebooks that do not "
                           f"take them back. Remove one of those functions_from lines and save the notebook.")
    cells = _code_cells(path)
    defining = {name: [number for number, source in cells if _defines(source, name)] for name in names}
    missing = [name for name in names if not defining[name]]
    if missing:
        listed = ", ".join(missing)
        raise NameError(f"{listed} {'is' if len(missing) == 1 else 'are'} not defined in {path}: no cell there "
                        f"starts a line with 'def {missing[0]}('. Check the spelling, and save that notebook "
                        f"(Ctrl+S) after writing the function.")
    to_run = {number for numbers in defining.values() for number in numbers}
    namespace = {"__name__": path.stem}
    _reading.append(path.resolve())
    try:
        for number, source in cells:
            _run_cell(path, number, source, namespace, whole=number in to_run)
    finally:
        _reading.pop()
    functions = []
    for name in names:
        if not callable(namespace.get(name)):
            raise NameError(f"cell {defining[name][-1]} of {path} ran, but left no function named {name}")
        functions.append(namespace[name])
    for name, function in zip(names, functions):
        _check_needs(path, name, function, namespace, cells, to_run)
    return functions[0] if len(functions) == 1 else tuple(functions)


#: The statements of a cell that does not define a wanted function that still run: what a function may need
#: (and the cell's own ``... = checks.functions_from(...)`` lines, see :func:`_reuses`).
_NEEDED = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)

#: The notebooks being read now, outermost first: a notebook whose functions_from line reads another notebook
#: reads it relative to its own folder, and one that comes back to a notebook on this list is a cycle.
_reading: list[pathlib.Path] = []


def _is_needed(node: ast.stmt) -> bool:
    return (isinstance(node, _NEEDED) and not getattr(node, "decorator_list", [])) or _reuses(node)


def _globals_loaded(code) -> set[str]:
    """The global names ``code`` (and the functions, lambdas and comprehensions inside it) reads."""
    names, codes = set(), [code]
    while codes:
        current = codes.pop()
        names.update(instruction.argval for instruction in dis.get_instructions(current)
                     if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"))
        codes += [const for const in current.co_consts if hasattr(const, "co_code")]
    return names


def _bound_at_top(statement: ast.stmt) -> set[str]:
    """The names a top-level statement binds (assignments, for and with targets, and so on)."""
    names = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def _reuses(statement: ast.stmt) -> bool:
    """True for ``... = checks.functions_from(...)``: names brought from yet another notebook on purpose."""
    value = getattr(statement, "value", None)
    function = getattr(value, "func", None)
    return isinstance(value, ast.Call) and getattr(function, "attr", getattr(function, "id", "")) == "functions_from"


def _check_needs(path, name, function, namespace, cells, to_run) -> None:
    """A NameError when ``function`` reads a global that none of the run code made, but a line of a cell
    that did not run in full would have: it names that cell, the line, and why it did not run."""
    code = getattr(function, "__code__", None)
    if code is None:
        return
    missing = sorted(needed for needed in _globals_loaded(code)
                     if needed not in namespace and not hasattr(builtins, needed))
    for needed in missing:
        for number, source in cells:
            if number in to_run:
                continue
            for statement in _statements(source) or []:
                if not _is_needed(statement) and needed in _bound_at_top(statement):
                    line = _python(source).splitlines()[statement.lineno - 1].strip()
                    raise NameError(
                        f"{name} uses {needed}, which only line {statement.lineno} of cell {number} of {path} "
                        f"(counting every cell from the top) makes: {line!r}. functions_from does not run that "
                        f"line: of a cell that defines none of the functions asked for, it runs only the "
                        f"imports and the plain def and class statements. Move that line into {name}'s cell "
                        f"(or make {needed} inside {name}), save the notebook (Ctrl+S), and run this cell again.")


def _find(path: pathlib.Path) -> pathlib.Path:
    """The notebook's path, with ``.ipynb`` added when the name was given without it; a relative path named
    by a notebook being read is taken relative to that notebook's folder."""
    if _reading and not path.is_absolute():
        path = _reading[-1].parent / path
    if not path.exists() and path.suffix != ".ipynb" and path.with_name(path.name + ".ipynb").exists():
        path = path.with_name(path.name + ".ipynb")
    if not path.is_file():
        where = path if path.is_absolute() else f"{path} (looked for in {pathlib.Path.cwd()})"
        raise FileNotFoundError(f"no notebook {where}. Give its file name as it is in the file browser, and "
                                f"save it first (Ctrl+S in JupyterLab): functions_from reads the saved file.")
    return path


def _code_cells(path: pathlib.Path) -> list[tuple[int, str]]:
    """(number, source) of each code cell, numbered from 1 among all the notebook's cells, as the
    notebook shows them from the top."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        found = [(number, _text(cell.get("source", ""))) for number, cell in enumerate(cells, 1)
                 if cell.get("cell_type") == "code"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path} is not a notebook that can be read ({type(error).__name__}: {error}). "
                         f"Open it in JupyterLab and save it again (Ctrl+S).") from None
    return found


def _text(source) -> str:
    if isinstance(source, list):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise TypeError(f"a cell's source is {type(source).__name__}")


def _defines(source: str, name: str) -> bool:
    """True when a line of the cell starts defining ``name`` at the top level: ``def name(``."""
    return re.search(rf"^def\s+{re.escape(name)}\s*\(", source, flags=re.MULTILINE) is not None


def _python(source: str) -> str:
    """The cell's code without IPython's ``%magic`` and ``!shell`` lines (they are not Python)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _statements(source: str) -> list[ast.stmt] | None:
    try:
        return ast.parse(_python(source)).body
    except (SyntaxError, ValueError):
        return None


def _run_cell(path: pathlib.Path, number: int, source: str, namespace: dict, whole: bool = True) -> None:
    """Run one cell in ``namespace`` (all of it when ``whole``, else only its imports and plain def and class
    statements); its lines show in tracebacks under ``<notebook> cell <number>``."""
    filename = f"{path.name}, cell {number}"
    code_text = _python(source)
    if not whole:
        statements = _statements(source)
        needed = [statement for statement in statements or [] if _is_needed(statement)]
        if not needed:               # nothing a function needs (or not Python at all): the cell is skipped
            return
    linecache.cache[filename] = (len(code_text), None, code_text.splitlines(keepends=True), filename)
    try:
        code = compile(code_text if whole else ast.Module(body=needed, type_ignores=[]), filename, "exec")
    except SyntaxError as error:
        raise RuntimeError(f"cell {number} of {path} (counting every cell from the top) does not run: "
                           f"SyntaxError on its line {error.lineno}: {error.msg}. Fix it there, run it, and save "
                           f"the notebook (Ctrl+S).") from None
    try:
        exec(code, namespace)
    except Exception as error:   # noqa: BLE001  the learner's cell: say which one failed and how
        first = next((line for line in source.splitlines() if line.strip()), "")
        raise RuntimeError(f"cell {number} of {path} (counting every cell from the top; it starts "
                           f"{first.strip()!r}) raised {type(error).__name__}: {error}. Fix it there, run it, "
                           f"and save the notebook (Ctrl+S).") from error
