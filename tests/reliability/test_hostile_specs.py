"""Hostile region specs and templates: nothing a note or a vault template says can make a
refresh write outside the vault, build a path or URL from a non-symbol, or reach Python
internals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultkit.data.tickers import validate_ticker
from vaultkit.errors import DataError, VaultkitError
from vaultkit.refresh.regions import validate_params
from vaultkit.refresh.render import make_environment, render
from vaultkit.refresh.report import SKIPPED
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import Chart, Generated, RegionSpec

from .figures import count, fuzz_settings, record_preserved
from .vaults import ASOF, FakeGenerator, files

CHARTS = ["../../x.png", "../x.png", "/tmp/vaultkit-abs.png", "..\\x.png", "sub/x.png",
          "~/x.png", "x.png/../../y.png", "%2e%2e%2fx.png", ".png", "x.png\u0000.txt",
          "C:\\x.png", "x.PNG.exe", "x.svg", "x.png\n", "\nx.png"]
TICKERS = ["../../etc/passwd", "XLE;rm -rf ~", "http://evil.example/x", "xle", "A" * 16,
           "..", ".", "X/Y", "X\\Y", "$(id)", "XLE,../x", "", "X Y", "^", "-"]


def _note(params: str) -> str:
    return (f"# Hostile\n\nProse.\n\n<!-- vaultkit:begin id=h kind=pair {params} -->\n"
            "<!-- vaultkit:end id=h -->\n\nMore prose.\n")


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in " \t") or not value else value


@pytest.mark.parametrize("value", CHARTS + [f"ticker:{t}" for t in TICKERS])
def test_hostile_spec_values_are_refused_before_generating(tmp_path: Path, value: str) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    if value.startswith("ticker:"):
        params = f"a={_quote(value[7:])} b=IGV"
    else:
        params = f"a=XLE b=IGV chart={_quote(value)}"
    note = root / "n.md"
    note.write_text(_note(params))
    if any(c in value for c in '\u0000"\n'):
        pytest.skip("not expressible in a marker")
    before = files(tmp_path)
    fake = FakeGenerator()
    report = refresh_vault(root, generate=fake, settle=0)
    count(__name__, "bad files tried")
    assert fake.calls == [], f"generator called for {value!r}"
    assert [r.status for r in report.records] == [SKIPPED], report.records
    after = files(tmp_path)
    record_preserved(__name__, before["vault/n.md"], after["vault/n.md"])
    assert after == before, "a refused spec changed a file"
    assert not Path("/tmp/vaultkit-abs.png").exists()


@pytest.mark.parametrize("name", CHARTS)
def test_generator_returning_a_hostile_chart_name_is_refused(tmp_path: Path, name: str) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "n.md").write_text(_note("a=XLE b=IGV"))
    before = files(tmp_path)

    def generate(spec: RegionSpec) -> Generated:
        return Generated("body", {}, ASOF, "test", (Chart(name, b"PNG"),))

    report = refresh_vault(root, generate=generate, settle=0)
    count(__name__, "bad files tried")
    assert [r.status for r in report.records] == [SKIPPED]
    assert files(tmp_path) == before
    assert not Path("/tmp/vaultkit-abs.png").exists()


def _safe_symbol(value: str) -> bool:
    return (value.strip() == value and os.path.basename(value) == value and ".." not in value
            and value not in ("", ".") and any(c.isalnum() for c in value)
            and all(c.isascii() and c.isprintable() for c in value))


@given(st.text(max_size=20))
@fuzz_settings(500, 20_000)
def test_any_accepted_ticker_is_a_safe_file_name_and_url_segment(value: str) -> None:
    count(__name__, "cases fuzzed")
    spec = RegionSpec("h", "pair", {"a": value, "b": "IGV"}, "n.md", 1)
    if not validate_params(spec):
        assert _safe_symbol(value), value
    try:
        validate_ticker(value)
    except DataError:
        return
    assert _safe_symbol(value), value


PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].system('touch /tmp/vaultkit-pwned-by-template') }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ figures.update({'x': 1}) }}",
    "{{ range(10**9) | list | length }}",
    "{{ 1 / 0 }}",
    "{{ 'a' * 10**10 }}",
    "{{ [0] * 10**9 }}",
    "{{ 10 * 'a' * 10**9 }}",
    "{{ 2 ** 10000000000 }}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{{ figures['missing'] }}",
    "{% include '../../../../etc/passwd' %}",
    "{% import '/etc/passwd' as x %}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_vault_template_cannot_reach_python_internals(tmp_path: Path, payload: str) -> None:
    templates = tmp_path / ".vaultkit" / "templates"
    templates.mkdir(parents=True)
    (templates / "pair.md.j2").write_text(payload)
    env = make_environment(tmp_path)
    count(__name__, "bad files tried")
    with pytest.raises(VaultkitError) as caught:
        render(env, "pair.md.j2", {"figures": {}})
    assert "pair.md.j2" in str(caught.value)
    assert "root:" not in str(caught.value)
    assert not Path("/tmp/vaultkit-pwned-by-template").exists()
