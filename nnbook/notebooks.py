"""Running the course's notebooks headless: the repo's one way to (re)store their outputs.

``nnbook execute`` (and ``make execute``) calls :func:`execute_notebook` on each lesson and solution. It
runs the notebook top to bottom in a fresh kernel from the notebook's own folder, then writes it back
with outputs that are the same run after run:

- no per-cell timing metadata (``record_timing=False``);
- no saved widget state (model ids change every run; nbval ignores widget views anyway);
  it is recorded during the run, which nbclient needs, and dropped before writing;
- a fixed kernelspec, so a notebook saved from another machine's kernel does not leave a diff.

Other tools (the progress report, the tests) reuse :func:`run_notebook`, which executes a copy in memory
and never writes to disk.
"""

from __future__ import annotations

import os
import pathlib
from concurrent.futures import ProcessPoolExecutor

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: Environment for every kernel the course starts: a fixed hash seed, the inline backend, no network
#: surprises from matplotlib's font cache in a fresh home.
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def run_notebook(nb: nbformat.NotebookNode, cwd: str | os.PathLike, *, timeout: int = 600,
                 allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``nb`` in place in a fresh ``python3`` kernel started in ``cwd``; return it.

    Raises ``nbclient.exceptions.CellExecutionError`` on the first failing cell unless ``allow_errors``
    (cells tagged ``raises-exception`` may always fail).
    """
    os.environ.update(KERNEL_ENV)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
        # False crashes nbclient on interact cells (KeyError); the state is dropped after the run instead.
        store_widget_state=True,
        allow_errors=allow_errors,
    )
    client.execute()
    return nb


def execute_notebook(path: str | os.PathLike, *, timeout: int = 600) -> pathlib.Path:
    """Re-execute the notebook at ``path`` top to bottom and store its outputs deterministically."""
    path = pathlib.Path(path)
    nb = nbformat.read(path, as_version=4)
    run_notebook(nb, path.parent, timeout=timeout)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


def execute_all(paths, *, jobs: int = 2, timeout: int = 600) -> list[pathlib.Path]:
    """Execute several notebooks, ``jobs`` at a time (each in its own process and kernel)."""
    paths = [pathlib.Path(p) for p in paths]
    if jobs <= 1 or len(paths) <= 1:
        return [execute_notebook(p, timeout=timeout) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_execute_one, paths, [timeout] * len(paths)))


def _execute_one(path: pathlib.Path, timeout: int) -> pathlib.Path:
    result = execute_notebook(path, timeout=timeout)
    print(f"executed {result}", flush=True)
    return result
