"""Running the course's notebooks headless: the repo's one way to (re)store their outputs.

``nnbook execute`` (and ``make execute``) calls :func:`execute_notebook` on each lesson and solution. It
runs the notebook top to bottom in a fresh kernel from the notebook's own folder, then writes it back
with outputs that are the same run after run:

- no per-cell timing metadata (``record_timing=False``), and a cell's printed chunks joined into one
  output per stream;
- widget state saved with the notebook, so JupyterLab draws each widget as it was (not a line of text)
  before the learner runs anything; the kernel's random model ids are renamed in order of appearance
  (``nnbook-widget-0001``, ...), so re-executing an unchanged notebook gives the same bytes;
- a fixed kernelspec, so a notebook saved from another machine's kernel does not leave a diff; the
  kernel's own ``language_info``, which JupyterLab would otherwise fill in (marking the notebook changed).

Other tools (the progress report, the tests) reuse :func:`run_notebook`, which executes a copy in memory
and never writes to disk.
"""

from __future__ import annotations

import json
import logging
import os
import pathlib
import re
import subprocess
from concurrent.futures import ProcessPoolExecutor

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: Environment for every kernel the course starts: a fixed hash seed, the inline backend, no network
#: surprises from matplotlib's font cache in a fresh home.
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def run_notebook(nb: nbformat.NotebookNode, cwd: str | os.PathLike, *, timeout: int = 600,
                 allow_errors: bool = False, quiet: bool = False, on_cell_start=None) -> nbformat.NotebookNode:
    """Execute ``nb`` in place in a fresh ``python3`` kernel started in ``cwd``; return it.

    Raises ``nbclient.exceptions.CellExecutionError`` on the first failing cell unless ``allow_errors``
    (cells tagged ``raises-exception`` may always fail), and ``CellTimeoutError`` for a cell running longer
    than ``timeout`` seconds. Cells run before an exception keep their outputs in ``nb``. ``quiet`` sends the
    kernel's own log (its start-up warnings) nowhere; ``on_cell_start(cell, cell_index)`` is called as each
    cell starts.
    """
    os.environ.update(KERNEL_ENV)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
        store_widget_state=True,  # False crashes nbclient on interact cells (KeyError)
        allow_errors=allow_errors,
        on_cell_start=on_cell_start,
    )
    if quiet:
        client.log.setLevel(logging.CRITICAL)
        client.execute(stderr=subprocess.DEVNULL)
    else:
        client.execute()
    return nb


def execute_notebook(path: str | os.PathLike, *, timeout: int = 600) -> pathlib.Path:
    """Re-execute the notebook at ``path`` top to bottom and store its outputs deterministically."""
    path = pathlib.Path(path)
    nb = nbformat.read(path, as_version=4)
    run_notebook(nb, path.parent, timeout=timeout, quiet=True)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb = stable_widget_ids(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs into one, as JupyterLab shows them.

    How a cell's prints arrive in chunks depends on timing; joined, the stored text is the same on every
    run. (nbval joins them too before comparing.)
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    return merged


def stable_widget_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with every widget model id renamed ``nnbook-widget-NNNN``, in a canonical order.

    The kernel names widget models with random hex ids; they appear in widget-view outputs and in the saved
    widget state (``metadata.widgets``), where models refer to each other as ``IPY_MODEL_<id>``. Numbering
    them by a walk from the displayed widgets (cells in order), following each model's references in the
    order its sorted state mentions them, gives the same names run after run; models nothing displays
    come last, ordered by their content.
    """
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    roots = [output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for cell in nb.cells for output in cell.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    order: list[str] = []
    queue = list(roots)
    while queue:
        model = queue.pop(0)
        if model in order:
            continue
        order.append(model)
        queue += _MODEL_REF.findall(json.dumps(state.get(model, {}), sort_keys=True))
    masked = lambda model: _MODEL_REF.sub("", json.dumps(state[model], sort_keys=True))  # noqa: E731
    order += sorted((m for m in state if m not in order), key=masked)
    if not order:
        return nb
    renames = {old: f"nnbook-widget-{i:04d}" for i, old in enumerate(order, start=1)}
    pattern = re.compile("|".join(re.escape(old) for old in renames))
    return nbformat.from_dict(json.loads(pattern.sub(lambda m: renames[m.group(0)], json.dumps(nb))))


_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


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
