"""Region templates: jinja2 in a sandbox, a vault's own templates before the defaults.

A vault can override ``pair.md.j2`` by putting its own copy in
``<vault>/.vaultkit/templates/``. Vault templates are text someone else may have written,
so they run in jinja2's immutable sandbox: no attribute starting with ``_``, no mutating
calls, and an undefined name is an error instead of an empty cell.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from vaultkit.errors import VaultkitError

OVERRIDES = Path(".vaultkit") / "templates"
#: Largest string or list a template may build with ``*``, and largest ``**`` exponent: the
#: sandbox bounds range() but not these, so ``{{ 'a' * 10**10 }}`` would exhaust memory.
MAX_PRODUCT = 1_000_000
MAX_EXPONENT = 64
PACKAGE = "vaultkit.refresh.templates"


def _bundled(name: str) -> tuple[str, str, None] | None:
    """Load a default template from the installed package (wheel or source tree)."""
    resource = resources.files(PACKAGE).joinpath(name)
    if "/" in name or "\\" in name or not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), f"{PACKAGE}/{name}", None


def pct(value: float | None, digits: int = 1) -> str:
    """A fraction as a signed percentage: ``0.1834`` → ``+18.3%``; ``None`` → ``—``."""
    return "—" if value is None else f"{value * 100:+.{digits}f}%"


def pp(value: float | None, digits: int = 1) -> str:
    """Percentage points, signed: ``43.27`` → ``+43.3pp``."""
    return "—" if value is None else f"{value:+.{digits}f}pp"


def longdate(value: dt.date) -> str:
    """``2026-11-20`` → ``Nov 20, 2026`` (no locale, so output is the same everywhere)."""
    return f"{value:%b} {value.day}, {value.year}"


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > MAX_PRODUCT:
                    raise SecurityError(f"'*' would build {len(seq) * times} items")
        return super().call_binop(context, operator, left, right)


def make_environment(root: Path | None) -> ImmutableSandboxedEnvironment:
    """The template environment for the vault at ``root`` (defaults only when ``None``)."""
    loaders: list[Any] = []
    if root is not None:
        loaders.append(FileSystemLoader(root / OVERRIDES))
    loaders.append(FunctionLoader(_bundled))
    env = _Sandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(pct=pct, pp=pp, longdate=longdate)
    return env


def render(env: ImmutableSandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``: LF newlines, no trailing spaces, no trailing newline.

    Any template problem (missing file, syntax, undefined name, sandbox violation) becomes
    a :class:`VaultkitError` naming the template; callers add the region's location.
    """
    try:
        text = env.get_template(name).render(context)
    # A vault template can also fail at run time: the sandbox's range limit raises
    # OverflowError, {{ 1/0 }} ZeroDivisionError, a macro calling itself RecursionError.
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError,
            RecursionError) as exc:
        lineno = getattr(exc, "lineno", None)
        where = f" line {lineno}" if lineno else ""
        raise VaultkitError(f"template {name}{where}: {type(exc).__name__}: {exc}") from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")
