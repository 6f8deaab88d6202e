"""Packaging: the two install routes (pip via pyproject.toml, conda/Binder via environment.yml) do not drift
apart, and the package keeps its three layers (core library, lesson helpers, course tools)."""

import ast
import pathlib
import re
import subprocess
import sys

import pytest
import yaml  # PyYAML: installed with JupyterLab (jupyter-events needs it)

try:
    import tomllib
except ImportError:  # Python 3.10: pip carries the same parser
    from pip._vendor import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def normalise(requirement: str) -> str:
    """``numpy >= 1.24`` and ``numpy>=1.24`` are the same requirement; conda writes ``=`` where pip has ``==``."""
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-") + spec.replace(" ", "")


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_packages(environment):
    return [entry for entry in environment["dependencies"] if isinstance(entry, str)]


def test_environment_yml_lists_exactly_the_pyproject_dependencies_and_the_lab_extra(pyproject, environment):
    # Binder serves the course in JupyterLab: the conda route installs the `lab` extra too.
    lab = pyproject["project"]["optional-dependencies"]["lab"]
    pip_side = sorted(normalise(r) for r in [*pyproject["project"]["dependencies"], *lab])
    conda_side = sorted(normalise(p) for p in conda_packages(environment)
                        if not re.match(r"(python|pip)\b(?!-)", p))
    assert conda_side == pip_side


def test_environment_yml_pins_a_python_minor_version_allowed_by_pyproject(pyproject, environment):
    pythons = [p for p in conda_packages(environment) if re.match(r"python\b(?!-)", p)]
    assert len(pythons) == 1
    minor = re.fullmatch(r"python\s*=\s*3\.(\d+)", pythons[0])
    assert minor, f"expected python=3.N, got {pythons[0]!r}"
    lowest = re.fullmatch(r">=\s*3\.(\d+)", pyproject["project"]["requires-python"])
    assert int(minor.group(1)) >= int(lowest.group(1))


def test_environment_yml_uses_conda_forge_and_installs_the_course_with_pip(environment):
    assert environment["channels"] == ["conda-forge"]
    pip_entries = [e["pip"] for e in environment["dependencies"] if isinstance(e, dict)]
    assert pip_entries == [["-e .[lab]"]]
    assert "pip" in conda_packages(environment)


def test_jupyterlab_is_the_lab_extra_and_nothing_the_course_imports_needs_it(pyproject):
    # A hosted runtime (Colab) installs nnbook without extras; the lessons, exercises and checks must run there.
    names = {normalise(r).split(">")[0].split("=")[0] for r in pyproject["project"]["dependencies"]}
    assert "jupyterlab" not in names and {"ipywidgets", "ipykernel"} <= names
    assert [normalise(r) for r in pyproject["project"]["optional-dependencies"]["lab"]] == ["jupyterlab>=4.0"]
    for path in sorted((ROOT / "nnbook").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for module in modules:
                assert not module.startswith(("jupyterlab", "jupyter_server", "notebook")), \
                    f"{path.relative_to(ROOT)} imports {module}, which the lab extra alone installs"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme


# ----- the three layers: the library a learner reads, lesson helpers, course tools -----------------------------
CORE = ["encoding", "losses", "descent", "activations", "layers", "optimizers", "models", "data", "callbacks",
        "metrics", "utils"]
HEAVY = ("matplotlib", "ipywidgets", "IPython", "ipykernel", "jupyter", "jupyterlab", "nbformat", "nbclient")


@pytest.mark.parametrize("module", CORE)
def test_the_core_library_loads_no_plotting_or_jupyter_package(module):
    code = (f"import sys, nnbook.{module}; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]", f"import nnbook.{module} loaded {result.stdout.strip()}"


def nnbook_imports(path):
    """The nnbook modules a file imports, as dotted names (``nnbook.lessons.plots``, ``nnbook._validate``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nnbook"):
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("nnbook")}
    return names


def test_imports_run_downwards_library_then_lesson_helpers_then_course_tools():
    package = ROOT / "nnbook"
    for path in sorted(package.glob("*.py")):
        if path.stem == "checks":          # where learners import checks: graded by the course tools
            continue
        upward = {name for name in nnbook_imports(path)
                  if name.startswith(("nnbook.lessons", "nnbook.tools", "nnbook.checks"))}
        assert not upward, f"library module {path.name} imports {sorted(upward)}"
    for path in sorted((package / "lessons").glob("*.py")):
        upward = {name for name in nnbook_imports(path) if name.startswith(("nnbook.tools", "nnbook.checks"))}
        assert not upward, f"lesson helper {path.name} imports {sorted(upward)}"
