"""The course map (nnbook.tools.course_map) against the files that repeat it.

Each test reads the real files (the notebooks, README.md, nnbook.checks, the modules' docstrings) and
compares them with the map, so a lesson that changes what it uses fails here until the map, or the file,
follows.
"""

import ast
import json
import pathlib
import re

import pytest

from nnbook import checks
from nnbook.tools import course_map
from nnbook.tools.course_map import LESSONS

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "nnbook"

#: In ``nnbook.checks.__all__`` but not checks: the result type, the helper that shows a call, and the one that
#: brings a learner's functions from an earlier exercise notebook.
CHECK_TOOLS = {"CheckResult", "try_it", "functions_from"}

#: nnbook/<name>.py files that are not lesson modules: the learners' check functions (their lessons are
#: the map's ``checks``) and the private modules.
NOT_LESSON_MODULES = {"checks"}


# --- reading the files ----------------------------------------------------------------------------------

def notebook_stems(folder):
    """The ``NN_slug`` names of the notebooks in ``folder`` (a learner's backups left out)."""
    return {path.stem for path in (ROOT / folder).glob("*.ipynb") if ".nnbook-backup" not in path.name}


def code_cells(path):
    """The sources of a notebook's code cells."""
    notebook = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def nnbook_imports(source):
    """The nnbook modules a cell imports, relative to the package: ``"data"``, ``"lessons.curves"``.

    ``from nnbook import data`` and ``from nnbook.data import drug_trial`` both give ``"data"``;
    ``from nnbook.lessons import training_widgets as tw`` gives ``"lessons.training_widgets"``.
    """
    python = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    found = set()
    for node in ast.walk(ast.parse(python)):
        if isinstance(node, ast.Import):
            dotted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # a name imported from a package is a module when the package has a file or folder of that name
            is_package = (ROOT / node.module.replace(".", "/")).is_dir()
            dotted = [f"{node.module}.{alias.name}" if is_package and _is_module(node.module, alias.name)
                      else node.module for alias in node.names]
        else:
            continue
        found |= {name for name in dotted if name == "nnbook" or name.startswith("nnbook.")}
    return {name.removeprefix("nnbook.") if name != "nnbook" else "nnbook" for name in found}


def _is_module(package, name):
    folder = ROOT / package.replace(".", "/")
    return (folder / f"{name}.py").is_file() or (folder / name).is_dir()


def readme_lessons():
    """The rows of README.md's lesson table: (number, title, link, checks)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## The lessons")
    table = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, separator, *rows = table
    assert header[0] == "#" and set(separator[0]) == {"-"}, f"no lesson table under '## The lessons': {header}"
    parsed = []
    for number, lesson, _what, exercises in rows:
        title, link = re.fullmatch(r"\[(.+)\]\((.+)\)", lesson).groups()
        parsed.append((number, title, link, tuple(re.findall(r"`(\w+)`", exercises))))
    return parsed


def start_here_lessons():
    """The rows of lesson 00's own lesson table: (number, title, link, exercise link or "-")."""
    path = ROOT / course_map.notebook(LESSONS[0])
    notebook = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            match = re.fullmatch(r"\| (\d\d) \| \[(.+)\]\((.+)\) \| .* \| (.+) \|", line.strip())
            if match:
                number, title, link, exercises = match.groups()
                exercise_link = re.fullmatch(r"\[\d\d\]\((.+)\)", exercises)
                rows.append((number, title, link, exercise_link.group(1) if exercise_link else exercises))
    return rows


LESSON_LINE = re.compile(r"(Lessons?) (\d\d(?:-\d\d)?(?:, \d\d(?:-\d\d)?)*): \S")


def lessons_in_first_line(docstring):
    """The lesson numbers a docstring's first line starts with, or None when it names none.

    The convention: ``Lesson 04: ...``, ``Lessons 05-10: ...`` (a range), ``Lessons 01, 03, 04: ...``,
    ``Lessons 02, 03, 05-10: ...``.
    """
    match = LESSON_LINE.match((docstring or "").strip().splitlines()[0] if docstring else "")
    if not match:
        return None
    word, items = match.groups()
    numbers = []
    for item in items.split(", "):
        first, _, last = item.partition("-")
        numbers += [f"{n:02d}" for n in range(int(first), int(last or first) + 1)]
    if (word == "Lesson") != (len(numbers) == 1):
        return None
    return set(numbers)


def module_docstring(path):
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=True)


def defined_names(path):
    """What a module defines at its top level; for a package's __init__, also its submodules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    if path.name == "__init__.py":
        names |= {child.stem for child in path.parent.iterdir()
                  if child.suffix == ".py" or (child.is_dir() and (child / "__init__.py").exists())}
    return names - {"__all__", "__version__"}


RST_BORDER = re.compile(r"^\s*=+( +=+)+\s*$")        # ======= ======= (a reST simple table)
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")              # | a | b | (markdown, or a reST grid table's row)


def table_first_cells(docstring):
    """The first cell of every row of the reST simple, reST grid and markdown tables in a docstring."""
    cells, in_simple_table = [], False
    for line in (docstring or "").splitlines():
        if RST_BORDER.match(line):
            in_simple_table = True
        elif not line.strip():
            in_simple_table = False
        elif in_simple_table:
            cells.append(line.split()[0])
        elif PIPE_ROW.match(line):
            cells.append(line.strip().strip("|").split("|")[0])
    return [match.group(0) for cell in cells if (match := re.match(r"[A-Za-z_]\w*", cell.strip(" `*:")))]


def own_names_in_tables(path):
    """The names a module defines that a table in its own docstring lists (a table of its functions)."""
    return sorted(set(table_first_cells(module_docstring(path))) & defined_names(path))


def library_files():
    """nnbook/<name>.py for each lesson module of the library, by name."""
    return {path.stem: path for path in PACKAGE.glob("*.py")
            if not path.stem.startswith("_") and path.stem not in NOT_LESSON_MODULES}


def helper_files():
    """nnbook/lessons/<name>.py for each lesson helper, by name."""
    return {path.stem: path for path in (PACKAGE / "lessons").glob("*.py") if not path.stem.startswith("_")}


def mapped_library_modules():
    return {name for lesson in LESSONS for name in (*lesson.modules, *lesson.indirect)}


def mapped_helpers():
    return {name for lesson in LESSONS for name in lesson.helpers}


def all_map_checks():
    return [check for lesson in LESSONS for check in lesson.checks]


LESSON_IDS = [lesson.stem for lesson in LESSONS]
WITH_CHECKS = [lesson for lesson in LESSONS if lesson.checks]


# --- the map itself --------------------------------------------------------------------------------------

def test_the_map_is_well_formed():
    assert [lesson.number for lesson in LESSONS] == [f"{n:02d}" for n in range(len(LESSONS))]
    assert len({lesson.slug for lesson in LESSONS}) == len(LESSONS)
    assert len(all_map_checks()) == len(set(all_map_checks())), "a check belongs to one lesson only"
    for lesson in LESSONS:
        assert not set(lesson.modules) & set(lesson.indirect), lesson.stem
        for check in lesson.checks:
            assert course_map.lesson_for_check(check) == lesson
        for module in (*lesson.modules, *lesson.helpers, *lesson.indirect):
            assert lesson in course_map.lessons_teaching(module)
        assert course_map.by_number(int(lesson.number)) == lesson
        assert course_map.notebook(lesson, "solutions") == pathlib.Path("solutions", f"{lesson.stem}.ipynb")


def test_every_module_the_map_names_exists():
    assert not mapped_library_modules() - set(library_files()), "library modules missing in nnbook/"
    assert not mapped_helpers() - set(helper_files()), "lesson helpers missing in nnbook/lessons/"


def test_every_module_serves_a_lesson_in_the_map():
    assert not set(library_files()) - mapped_library_modules(), "library modules no lesson of the map uses"
    assert not set(helper_files()) - mapped_helpers(), "lesson helpers no lesson of the map uses"


# --- notebooks -------------------------------------------------------------------------------------------

def test_course_holds_exactly_the_maps_notebooks():
    for lesson in LESSONS:
        assert (ROOT / course_map.notebook(lesson)).is_file(), course_map.notebook(lesson)
    assert notebook_stems("course") == {lesson.stem for lesson in LESSONS}


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_exercise_folders_hold_the_lessons_with_checks(folder):
    assert notebook_stems(folder) == {lesson.stem for lesson in WITH_CHECKS}


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_lesson_notebook_imports_what_the_map_lists(lesson):
    imported = set()
    for source in code_cells(ROOT / course_map.notebook(lesson)):
        imported |= nnbook_imports(source)
    listed = set(lesson.modules) | {f"lessons.{helper}" for helper in lesson.helpers}
    assert not listed - imported, f"the map lists modules {lesson.stem} does not import"
    assert not imported - listed, f"{lesson.stem} imports nnbook modules the map does not list"


# --- checks ----------------------------------------------------------------------------------------------

def test_every_cases_module_belongs_to_a_lesson_and_registers_its_own_functions():
    modules = sorted(path.stem for path in (PACKAGE / "tools" / "cases").glob("lesson_*.py"))
    assert modules == [f"lesson_{lesson.number}" for lesson in WITH_CHECKS]
    for lesson in WITH_CHECKS:
        defined = defined_names(PACKAGE / "tools" / "cases" / f"lesson_{lesson.number}.py")
        assert set(lesson.checks) <= defined, f"lesson_{lesson.number}.CHECKS names a check it does not define"
        assert all(isinstance(points, int) and points >= 1 for points in lesson.cases.CHECKS.values())


def test_checks_hands_out_each_registered_check_and_names_the_known_ones_on_a_typo():
    assert CHECK_TOOLS <= set(checks.__all__)
    assert set(checks.__all__) - CHECK_TOOLS == set(all_map_checks())
    for lesson in WITH_CHECKS:
        for name in lesson.checks:
            assert getattr(checks, name) is getattr(lesson.cases, name)
            assert name in dir(checks)
    namespace = {}
    exec("from nnbook.checks import *", namespace)
    assert {name for name in namespace if not name.startswith("__")} == set(checks.__all__)
    with pytest.raises(AttributeError, match=r"no check named 'ssee'.*\bsse, mse\b"):
        checks.ssee


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("lesson", WITH_CHECKS, ids=[lesson.stem for lesson in WITH_CHECKS])
def test_exercise_notebook_calls_its_lessons_checks(lesson, folder):
    called = set()
    for source in code_cells(ROOT / course_map.notebook(lesson, folder)):
        called |= set(re.findall(r"\bchecks\.(\w+)\(", source))
    assert called - CHECK_TOOLS == set(lesson.checks)


# --- README.md and lesson 00 -----------------------------------------------------------------------------

def test_readme_lesson_table_matches_the_map():
    expected = [(lesson.number, lesson.title, course_map.notebook(lesson).as_posix(), lesson.checks)
                for lesson in LESSONS]
    assert readme_lessons() == expected


def test_start_here_lesson_table_matches_the_map():
    expected = [(lesson.number, f"{lesson.number} · {lesson.title}", f"{lesson.stem}.ipynb",
                 f"../{course_map.notebook(lesson, 'exercises').as_posix()}" if lesson.checks else "-")
                for lesson in LESSONS]
    assert start_here_lessons() == expected


# --- module docstrings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line, numbers", [
    ("Lesson 04: gradient descent.", {"04"}),
    ("Lessons 05-07: activations.", {"05", "06", "07"}),
    ("Lessons 01, 03, 04: the figures.", {"01", "03", "04"}),
    ("Lessons 02, 03, 05-07: data.", {"02", "03", "05", "06", "07"}),
    ("Lessons 08 and 10: curves.", None),
    ("Lesson 05-07: one word, three lessons.", None),
    ("The course's data sets.", None),
])
def test_lesson_line_convention(line, numbers):
    assert lessons_in_first_line(f"{line}\n\nMore text.") == numbers


MODULES = sorted({*library_files(), *mapped_library_modules()}) + \
    [f"lessons.{name}" for name in sorted({*helper_files(), *mapped_helpers()})]


@pytest.mark.parametrize("module", MODULES)
def test_module_docstring_names_its_lessons(module):
    path = PACKAGE / f"{module.replace('.', '/')}.py"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    expected = {lesson.number for lesson in course_map.lessons_teaching(module.removeprefix("lessons."))}
    first_line = (module_docstring(path) or "").strip().splitlines()[:1]
    assert lessons_in_first_line(module_docstring(path)) == expected, (
        f"{path.relative_to(ROOT)}: first line {first_line} should start 'Lesson(s) ...: ' "
        f"naming lessons {sorted(expected)}")


def test_table_detector():
    own = {"one_hot", "sse"}
    rest = "Checks.\n\n======= =====\ncheck   what\n======= =====\none_hot rows\nsse     sum\n======= =====\n"
    markdown = "Checks.\n\n| check | what |\n|---|---|\n| `one_hot` | rows |\n"
    formulas = "Activations.\n\n    name   forward\n    relu   max(z, 0)\n"
    assert set(table_first_cells(rest)) & own == {"one_hot", "sse"}
    assert set(table_first_cells(markdown)) & own == {"one_hot"}
    assert table_first_cells(formulas) == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_docstring_tables_its_own_functions(path):
    assert own_names_in_tables(path) == [], (
        f"{path.relative_to(ROOT)}'s docstring has a table of its own names; each says what it is in its "
        f"own docstring, and the course map says which lesson uses what")
