"""The hosted-runtime route (Colab and the like; README.md, 'Run it in Colab / a hosted notebook'), run with the
wheel alone: `.venv-hosted` holds the wheel `make test` builds, installed without extras, so without JupyterLab.

A notebook is opened alone in a bare folder (Colab's /content), the first cell that `nnbook.tools.start.first_cell`
writes is put at its top, and it runs in a kernel of that environment: a lesson, then exercise 06, whose capstone
reads the learner's exercise 05 with `functions_from`, and the report card.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import subprocess
import zipfile

import nbformat
import pytest

from nnbook.tools import course_map, start
from nnbook.tools.grading import MIMETYPE

REPO = pathlib.Path(__file__).resolve().parents[2]
HOSTED = REPO / ".venv-hosted" / "bin"
DIST = REPO / "build" / "dist"

needs_hosted = pytest.mark.skipif(not (HOSTED / "nnbook").exists(),
                                  reason="the hosted environment .venv-hosted is missing: `make test` builds it")

#: Runs a notebook in a fresh kernel of the environment it is started with: nnbook's own execution.
RUN = """
import sys, nbformat
from nnbook.tools.notebooks import run_notebook
notebook = nbformat.read(sys.argv[1], 4)
run_notebook(notebook, sys.argv[2], timeout=600, allow_errors=True)
nbformat.write(notebook, sys.argv[3])
"""


def hosted(*command: str, cwd: pathlib.Path, home: pathlib.Path, timeout: int = 900):
    """A command of the hosted environment, first on the PATH, with a private Jupyter data folder."""
    env = dict(os.environ, PATH=f"{HOSTED}{os.pathsep}{os.environ['PATH']}", JUPYTER_DATA_DIR=str(home / "jupyter"))
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(HOSTED / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def opened_alone(source: pathlib.Path, folder: str, runtime: pathlib.Path, *, last: str = "") -> pathlib.Path:
    """``source`` as a learner opens it on a hosted runtime: alone in ``runtime``, the first cell at its top (and
    ``last`` as a cell at its end); its stored outputs go, so every output below is this run's."""
    notebook = nbformat.read(source, 4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells.insert(0, nbformat.v4.new_code_cell(start.first_cell(folder)))
    if last:
        notebook.cells.append(nbformat.v4.new_code_cell(last))
    path = runtime / source.name
    nbformat.write(notebook, path)
    return path


def run_alone(path: pathlib.Path, runtime: pathlib.Path, home: pathlib.Path) -> nbformat.NotebookNode:
    executed = home / f"executed-{path.name}"
    result = hosted("python", "-c", RUN, str(path), str(runtime), str(executed), cwd=runtime, home=home)
    assert result.returncode == 0, result.stderr[-3000:]
    notebook = nbformat.read(executed, 4)
    errors = [f"cell {index}: {output.ename}: {output.evalue}" for index, cell in enumerate(notebook.cells)
              for output in cell.get("outputs", []) if output.output_type == "error"]
    assert not errors, errors
    return notebook


def text_of(cell) -> str:
    return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                   for output in cell.get("outputs", []))


def check_results(cells) -> dict[str, str]:
    return {output.data[MIMETYPE]["check"]: output.data[MIMETYPE]["status"] for cell in cells
            for output in cell.get("outputs", []) if MIMETYPE in output.get("data", {})}


@needs_hosted
def test_the_wheel_without_extras_installs_no_jupyterlab(tmp_path):
    metadata = next(zipfile.ZipFile(wheel).read(name).decode() for wheel in DIST.glob("*.whl")
                    for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".dist-info/METADATA"))
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE)
    assert [line for line in requires if line.startswith("jupyterlab")] == ['jupyterlab>=4.0; extra == "lab"']
    found = hosted("python", "-c", "import importlib.util as u; print([bool(u.find_spec(m)) for m in "
                   "('jupyterlab', 'jupyter_server', 'ipywidgets', 'ipykernel', 'nnbook')])", cwd=tmp_path,
                   home=tmp_path)
    assert found.stdout.strip() == "[False, False, True, True, True]", found.stdout + found.stderr


@needs_hosted
def test_nnbook_start_without_jupyterlab_copies_the_course_and_says_how_to_get_it(tmp_path):
    result = hosted("nnbook", "start", cwd=tmp_path, home=tmp_path, timeout=120)
    assert result.returncode == 1
    assert "the course is copied, but JupyterLab is not installed" in result.stdout
    assert 'pip install "nnbook[lab]"' in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / start.DEFAULT_FOLDER / "exercises" / "06_training_loop.ipynb").is_file()


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    """A hosted runtime's working folder in which lesson 03 was opened alone and run (its first cell fetched the
    course), then the learner's saved exercise 05 was uploaded into the copy (README: 'Two ways to bring your
    work in') and their exercise 06 opened alone and run, ending with the report card. Both run in ONE kernel,
    one after the other, as a learner's session goes on: (folder, lesson's cells, exercise's cells)."""
    home = tmp_path_factory.mktemp("hosted")
    folder = home / "content"
    folder.mkdir()
    lesson = opened_alone(REPO / "course" / "03_loss_functions.ipynb", "course", folder,
                          last="import importlib.util, os\nprint('jupyterlab:', importlib.util.find_spec('jupyterlab'))"
                               "\nprint('working in', os.getcwd())")
    exercise = opened_alone(REPO / "solutions" / "06_training_loop.ipynb", "exercises", folder,
                            last="from nnbook.tools import progress\nprint(progress.report().text())")
    learner_05 = folder / "exercises" / "05_backpropagation.ipynb"
    # Between the two: the upload, and the kernel back in the runtime's folder, where a notebook opened alone
    # starts (so exercise 06's first cell must move it into exercises/ itself).
    upload = nbformat.v4.new_code_cell(f"import os, pathlib\npathlib.Path({str(learner_05)!r}).write_text("
                                       f"{(REPO / 'solutions' / '05_backpropagation.ipynb').read_text()!r})\n"
                                       f"os.chdir({str(folder)!r})")
    session = nbformat.read(lesson, 4)
    lesson_cells = len(session.cells)
    session.cells += [upload, *nbformat.read(exercise, 4).cells]
    path = folder / "session.ipynb"
    nbformat.write(session, path)
    cells = run_alone(path, folder, home).cells
    return folder, cells[:lesson_cells], cells[lesson_cells + 1:]


@needs_hosted
def test_a_lesson_opened_alone_fetches_the_course_and_runs_without_jupyterlab(runtime):
    folder, lesson, _ = runtime
    first, last = text_of(lesson[0]), text_of(lesson[-1])
    assert f"the course is in {folder}" in first and f"now works in {folder / 'course'}" in first
    for name in start.FOLDERS:
        assert (folder / name / "03_loss_functions.ipynb").is_file(), name
    assert "jupyterlab: None" in last and f"working in {folder / 'course'}" in last
    assert "0.6638" in "".join(text_of(cell) for cell in lesson)


@needs_hosted
def test_exercise_06_reads_the_learners_exercise_05_and_the_report_card_runs(runtime):
    folder, _, exercise = runtime
    # The exercise's cells of the session (see runtime): train_epoch reads the uploaded exercise 05.
    first = text_of(exercise[0])
    assert f"the course is already here, in {folder}: nothing to copy" in first
    assert f"now works in {folder / 'exercises'}" in first
    # train_epoch calls the four functions functions_from brought from exercises/05: the stubs there would raise.
    assert check_results(exercise) == {"iterations_per_epoch": "passed", "train_epoch": "passed"}
    accuracy = re.search(r"accuracy on the training data: (\d\.\d+)", "".join(map(text_of, exercise)))
    assert accuracy and float(accuracy.group(1)) > 0.9
    card = text_of(exercise[-1])
    checks_05 = next(lesson.checks for lesson in course_map.LESSONS if lesson.number == "05")
    for check in checks_05:
        assert re.search(rf"^05_backpropagation\s+{check}\s+passed$", card, re.MULTILINE), card
    every = sum(len(lesson.checks) for lesson in course_map.LESSONS)
    assert f"Total: {len(checks_05)} of {every} exercises passed" in card, card


def test_every_site_page_offers_colab_with_its_own_first_cell():
    spec = importlib.util.spec_from_file_location("nnbook_site_build_hosted", REPO / "site" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    repository = build._conf()["binder_repository"]
    for folder in start.FOLDERS:
        page = f"{folder}/06_training_loop.ipynb"
        box = build.run_box(page, has_widgets=False)
        assert f"https://colab.research.google.com/github/{repository}/blob/" in box and box.count(page) >= 3
        cell = start.first_cell(folder, requirement=f"nnbook @ git+https://github.com/{repository}")
        assert "".join(f"  {line}\n" for line in cell.splitlines()) in box
