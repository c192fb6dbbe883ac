"""Templates: sandbox, strict undefined, vault overrides, and the wheel carrying defaults."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from vaultkit.errors import VaultkitError
from vaultkit.refresh.render import OVERRIDES, longdate, make_environment, pct, pp, render

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = ("pair.md.j2", "returns.md.j2", "streak.md.j2", "breadth.md.j2")


def override(root: Path, name: str, text: str) -> None:
    folder = root / OVERRIDES
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_filters() -> None:
    assert (pct(0.18349), pct(-0.25), pct(None)) == ("+18.3%", "-25.0%", "—")
    assert pp(43.27) == "+43.3pp"
    assert longdate(dt.date(2026, 11, 2)) == "Nov 2, 2026"


def test_defaults_are_package_resources() -> None:
    names = {p.name for p in resources.files("vaultkit.refresh.templates").iterdir()}
    assert set(DEFAULTS) <= names
    env = make_environment(None)
    assert env.get_template("pair.md.j2").filename == "vaultkit.refresh.templates/pair.md.j2"


def test_vault_template_overrides_the_default(tmp_path: Path) -> None:
    override(tmp_path, "pair.md.j2", "{{ a }} vs {{ b }}  \r\n\n")
    assert render(make_environment(tmp_path), "pair.md.j2", {"a": "XLE", "b": "IGV"}) == (
        "XLE vs IGV"
    )


def test_sandbox_stops_a_template_reaching_python_internals(tmp_path: Path) -> None:
    override(tmp_path, "pair.md.j2", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(VaultkitError, match="SecurityError"):
        render(make_environment(tmp_path), "pair.md.j2", {})
    override(tmp_path, "returns.md.j2", "{% set x = [] %}{{ x.append(1) }}")
    with pytest.raises(VaultkitError, match="SecurityError"):
        render(make_environment(tmp_path), "returns.md.j2", {})


def test_undefined_names_and_bad_syntax_are_errors(tmp_path: Path) -> None:
    override(tmp_path, "pair.md.j2", "{{ missing }}")
    with pytest.raises(VaultkitError, match=r"template pair\.md\.j2.*UndefinedError"):
        render(make_environment(tmp_path), "pair.md.j2", {})
    override(tmp_path, "streak.md.j2", "line\n{% if %}")
    with pytest.raises(VaultkitError, match=r"template streak\.md\.j2 line 2"):
        render(make_environment(tmp_path), "streak.md.j2", {})
    with pytest.raises(VaultkitError, match="TemplateNotFound"):
        render(make_environment(tmp_path), "nope.md.j2", {})


def test_wheel_contains_the_templates_and_every_package(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "vaultkit", source / "vaultkit", ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
         str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("vaultkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"vaultkit/refresh/templates/{t}" for t in DEFAULTS} <= names
    # A package setuptools' find does not see would silently drop out of the wheel.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "vaultkit").rglob("*.py")}
    assert modules - names == set()
    assert "vaultkit/py.typed" in names
