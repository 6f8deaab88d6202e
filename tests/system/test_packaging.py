"""The two install routes (pip via pyproject.toml, conda/Binder via environment.yml) must not drift apart."""

import pathlib
import re

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


def test_environment_yml_lists_exactly_the_pyproject_dependencies(pyproject, environment):
    pip_side = sorted(normalise(r) for r in pyproject["project"]["dependencies"])
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
    assert pip_entries == [["-e ."]]
    assert "pip" in conda_packages(environment)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
