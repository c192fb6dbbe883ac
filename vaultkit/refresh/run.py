"""Orchestrate a refresh: find notes with regions, generate, splice, write, report.

Per note: snapshot → find regions → generate each (a failure skips that region only) →
splice in memory → write charts, then the note, by compare-and-swap. A marker error, an
unsettled or read-only note, or a conflict skips the note; the refresh goes on.

**Settle rule.** Obsidian may be mid-save on a note touched in the last ``settle`` seconds,
so such a note is skipped — but only when a previous refresh recorded the note's mtime in
``.vaultkit/refresh-state.json`` and the note's mtime is no longer that one, i.e. someone
other than vaultkit wrote it since. A fresh ``git clone`` (no state yet: every file was just
written by git, not by an editor) therefore refreshes at once, and so does a second run
right after the first (its own writes are recorded). ``--check`` and ``--dry-run`` write
nothing and do not wait.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vaultkit.errors import ConflictError, MarkerError, NoteNotFound, UnsafePathError, VaultkitError
from vaultkit.parse.scan import list_files
from vaultkit.refresh import writer
from vaultkit.refresh.kinds import generate, make_context
from vaultkit.refresh.lock import refresh_lock
from vaultkit.refresh.regions import (
    Region,
    chart_name_problem,
    find_regions,
    split_lines,
    validate_params,
)
from vaultkit.refresh.report import (
    SKIPPED,
    UNCHANGED,
    WRITTEN,
    NoteOutcome,
    RefreshReport,
    RegionRecord,
    SkipCode,
)
from vaultkit.refresh.spec import Chart, Generated, RegionSpec
from vaultkit.refresh.splice import edit_problem, region_body, region_changes, splice, unified_diff
from vaultkit.refresh.updates import ENGINE_KINDS, Figures, stamp, updates_body

Generator = Callable[[RegionSpec], Generated]
Progress = Callable[[int, int, str], None]

STATE_DIR = ".vaultkit"
STATE_FILE = "refresh-state.json"
#: Pause before the replaced versions of notes are looked at a last time and discarded.
RETIRED_GRACE_SECONDS = 0.01
DEFAULT_SETTLE = 2.0
_MARKER_BYTES = b"vaultkit:begin"


@dataclass(frozen=True, slots=True)
class _Options:
    root: Path
    generate: Generator
    write: bool
    force: frozenset[str]
    settle_ns: int
    previous: dict[str, int] | None
    diff: bool
    reason: str | None  # why nothing is written (dry run / check), for the records
    retired: list[writer.Retired] = field(default_factory=list)


def refresh_vault(
    root: Path | str, *, provider: str = "csv", asof: dt.date | None = None,
    offline: bool = False, note: str | None = None, dry_run: bool = False,
    check: bool = False, force: Iterable[str] = (), settle: float = DEFAULT_SETTLE,
    diff: bool = False, generate: Generator | None = None, progress: Progress | None = None,
) -> RefreshReport:
    """Refresh every managed region of the vault at ``root`` (or of one ``note``).

    ``generate`` turns a spec into a :class:`Generated`; by default the bundled kinds
    (:mod:`vaultkit.refresh.kinds`) with the given provider, as-of date and offline flag.
    ``dry_run``/``check`` write nothing and report what would change. Raises
    :class:`VaultkitError` for input errors (no vault, unknown note) and
    :class:`~vaultkit.refresh.lock.LockHeld` when another refresh is running; everything
    else is a record in the report.
    """
    root = Path(root)
    if not root.is_dir():
        raise VaultkitError(f"vault folder not found: {root}")
    paths = _candidates(root, note)
    state_dir = root / STATE_DIR
    write = not (dry_run or check)
    records: list[RegionRecord] = []
    outcomes: list[NoteOutcome] = []
    charts: list[str] = []
    with refresh_lock(state_dir) if write else nullcontext():
        previous = _load_state(state_dir)
        options = _Options(
            root, generate or _BoundGenerator(root, provider, asof, offline), write,
            # Nothing is written in a dry run, so there is no save to protect: --check in a
            # pre-commit hook must not fail on notes the researcher saved a second ago.
            frozenset(force), int(settle * 1e9) if write else 0, previous, diff,
            None if write else "check" if check else "dry run")
        if write:
            _remove_stale_temp_files(root, paths, state_dir)
        mtimes: dict[str, int] = {}
        for done, rel in enumerate(paths):
            if progress:
                progress(done, len(paths), rel)
            outcome, note_records, note_charts, mtime = _refresh_note(options, rel)
            records.extend(note_records)
            outcomes.append(outcome)
            charts.extend(note_charts)
            if mtime is not None:
                mtimes[rel] = mtime
        if progress:
            progress(len(paths), len(paths), "")
        warnings = []
        if options.retired:
            # Give an editor that opened a note just before its switch time to finish.
            time.sleep(RETIRED_GRACE_SECONDS)
            warnings.extend(writer.settle_retired(options.retired))
        if write:
            try:
                _save_state(state_dir, {**(previous or {}), **mtimes})
            except (OSError, ConflictError) as exc:
                # The notes are written; losing the report over our own bookkeeping would hide
                # that. The cost: the next refresh may wait --settle seconds on these notes.
                warnings.append(f"{STATE_DIR}/{STATE_FILE}: not saved ({exc})")
    return RefreshReport(tuple(records), tuple(outcomes), tuple(charts), not write,
                         tuple(warnings))


class _BoundGenerator:
    """The bundled generators with their context, built on first use (once per refresh)."""

    def __init__(self, root: Path, provider: str, asof: dt.date | None, offline: bool) -> None:
        self._args = (root, provider, asof, offline)
        self._bound: Generator | VaultkitError | None = None

    def __call__(self, spec: RegionSpec) -> Generated:
        if self._bound is None:
            try:

                context = make_context(*self._args)
                self._bound = lambda s: generate(s, context)
            except VaultkitError as exc:
                self._bound = exc  # every region gets the same reason; no retry per region
        if isinstance(self._bound, VaultkitError):
            raise self._bound
        return self._bound(spec)


def _candidates(root: Path, note: str | None) -> list[str]:
    """Notes that contain a begin marker: a byte search, no parsing."""

    notes = list(list_files(root).notes)
    if note is not None:
        wanted = note.removesuffix(".md").casefold()
        notes = [n for n in notes if n.removesuffix(".md").casefold() == wanted] or [
            n for n in notes if Path(n).stem.casefold() == wanted]
        if not notes:
            raise NoteNotFound(f"no note named {note!r}")
        if len(notes) > 1:
            raise VaultkitError(f"note name {note!r} is ambiguous: {', '.join(notes)}")
    found = []
    for rel in notes:
        try:
            if _MARKER_BYTES in (root / rel).read_bytes():
                found.append(rel)
        except OSError:
            found.append(rel)  # let the note's own read report the problem
    return found


def _refresh_note(
    opt: _Options, rel: str
) -> tuple[NoteOutcome, list[RegionRecord], list[str], int | None]:
    """One note: (outcome, region records, charts written, mtime to remember)."""
    path = opt.root / rel

    def refused(code: SkipCode, reason: str, regions: Iterable[Region] = ()) -> tuple[
            NoteOutcome, list[RegionRecord], list[str], int | None]:
        records = [RegionRecord(rel, r.spec.id, r.spec.kind, SKIPPED, reason, code=code)
                   for r in regions] or [RegionRecord(rel, None, None, SKIPPED, reason,
                                                      code=code)]
        return NoteOutcome(rel, SKIPPED), records, [], None

    try:
        snap = writer.snapshot(path)
        if snap.data is None:
            return refused(SkipCode.CONFLICT, "note vanished during the refresh")
        text = snap.data.decode("utf-8")
        regions = find_regions(text, rel)
    except UnicodeDecodeError:
        return refused(SkipCode.UNREADABLE, "not valid UTF-8; not touched")
    except MarkerError as exc:
        return refused(SkipCode.MARKER_ERROR, f"{exc}; note not touched")
    except UnsafePathError as exc:
        return refused(SkipCode.UNSAFE_PATH, f"{exc.message}; note not touched")
    except OSError as exc:
        return refused(SkipCode.UNREADABLE, f"cannot read: {exc.strerror or exc}")
    assert snap.mtime_ns is not None and snap.mode is not None
    age_ns = time.time_ns() - snap.mtime_ns
    # abs(): an mtime slightly in the future (clock skew) is as fresh as one just past.
    if (opt.previous is not None and opt.previous.get(rel) != snap.mtime_ns
            and abs(age_ns) < opt.settle_ns):
        return refused(SkipCode.UNSETTLED,
                       f"modified {age_ns / 1e9:.1f}s ago (an editor may be saving it); "
                       "not touched — run again, or lower --settle", regions)
    if opt.write and not snap.mode & stat.S_IWUSR:
        return refused(SkipCode.READ_ONLY, "note is read-only; not touched", regions)

    plan = _plan(opt, rel, text, regions)
    new_text = splice(text, regions, plan.bodies)
    try:
        intact = [r.spec.id for r in find_regions(new_text, rel)] == [r.spec.id for r in regions]
    except MarkerError:
        intact = False
    if not intact:
        return refused(SkipCode.GENERATION_FAILED,
                       "generated text would break the region markers; note not touched",
                       regions)
    # Charts first, so a written note never embeds a chart that is not there yet.
    charts: list[str] = []
    for region_id, region_charts in plan.charts.items():
        try:
            charts.extend(_write_charts(opt, rel, region_charts))
        except (ConflictError, UnsafePathError, OSError) as exc:
            del plan.bodies[region_id]
            plan.records[region_id] = replace(plan.records[region_id], status=SKIPPED,
                                              reason=f"chart not written: {_why(exc)}",
                                              code=SkipCode.CHART_NOT_WRITTEN)
            new_text = splice(text, regions, plan.bodies)
    changed = new_text != text
    try:
        if opt.write and changed:
            writer.write(snap, new_text.encode("utf-8"), opt.retired)
    except writer.NotDurable as exc:  # the note is written: say so, with the warning
        plan.records.update({k: replace(r, reason=_why(exc)) for k, r in plan.records.items()
                             if r.status == WRITTEN})
    except (ConflictError, UnsafePathError, OSError) as exc:
        code = (SkipCode.CONFLICT if isinstance(exc, ConflictError) else SkipCode.UNSAFE_PATH
                if isinstance(exc, UnsafePathError) else SkipCode.WRITE_FAILED)
        records = [replace(r, status=SKIPPED, reason=_why(exc), code=code)
                   if r.status == WRITTEN else r for r in plan.records.values()]
        return NoteOutcome(rel, SKIPPED), records, charts, None
    mtime = path.stat().st_mtime_ns if opt.write else None
    diff = unified_diff(text, new_text, rel) if opt.diff and changed else ""
    outcome = NoteOutcome(rel, WRITTEN if changed else UNCHANGED, diff)
    return outcome, list(plan.records.values()), charts, mtime


@dataclass(frozen=True, slots=True)
class _Plan:
    bodies: dict[str, str]
    records: dict[str, RegionRecord]
    charts: dict[str, tuple[Chart, ...]]  # region id → charts that differ from the disk


def _plan(opt: _Options, rel: str, text: str, regions: list[Region]) -> _Plan:
    """Generate every region of a note and decide each one's fate; touch no file."""
    lines = split_lines(text.removeprefix("\ufeff"))
    bodies: dict[str, str] = {}
    results: dict[str, RegionRecord] = {}
    charts: dict[str, tuple[Chart, ...]] = {}
    session: list[Figures] = []
    for region in regions:
        spec = region.spec
        if spec.kind in ENGINE_KINDS:
            continue
        code, problem = _refusal(lines, region, opt.force)
        generated: Generated | None = None
        stale: tuple[Chart, ...] = ()
        if problem is None:
            try:
                generated = opt.generate(spec)
                code, problem = _generated_problem(generated)
            except Exception as exc:  # a generator bug must cost one region, not the refresh
                code = SkipCode.GENERATION_FAILED
                problem = str(exc) if isinstance(exc, VaultkitError) else (
                    f"generator failed: {type(exc).__name__}: {exc}")
        if generated is not None and problem is None:
            try:
                stale = _stale_charts(opt.root, rel, generated.charts)
            except (VaultkitError, OSError) as exc:
                code, problem = SkipCode.CHART_NOT_WRITTEN, f"chart not written: {_why(exc)}"
        if generated is None or problem is not None:
            results[spec.id] = RegionRecord(rel, spec.id, spec.kind, SKIPPED, problem,
                                            code=code)
            continue
        body = generated.body.replace("\r\n", "\n").rstrip("\n")
        bodies[spec.id] = body
        if stale:
            charts[spec.id] = stale
        session.append(Figures(spec.id, spec.kind, generated.figures, generated.asof,
                               generated.source))
        status = WRITTEN if region_changes(text, region, body) or stale else UNCHANGED
        results[spec.id] = RegionRecord(rel, spec.id, spec.kind, status,
                                        opt.reason if status == WRITTEN else None,
                                        generated.asof, generated.source, generated.figures,
                                        freshness=generated.freshness)
    asof = max((f.asof for f in session), default=None)
    for region in regions:
        spec = region.spec
        if spec.kind not in ENGINE_KINDS:
            continue
        code, problem = _refusal(lines, region, opt.force)
        if problem is not None or asof is None:
            results[spec.id] = RegionRecord(
                rel, spec.id, spec.kind, SKIPPED if problem else UNCHANGED,
                problem or "no region of this note was generated", code=code)
            continue
        current = region_body(lines, region)
        body = (updates_body(current, asof, session) if spec.kind == "updates"
                else stamp(asof))
        bodies[spec.id] = body
        status = WRITTEN if region_changes(text, region, body) else UNCHANGED
        results[spec.id] = RegionRecord(rel, spec.id, spec.kind, status,
                                        opt.reason if status == WRITTEN else None, asof,
                                        "vaultkit", {"session": asof.isoformat()})
    return _Plan(bodies, {r.spec.id: results[r.spec.id] for r in regions}, charts)


def _why(exc: Exception) -> str:
    """An error's message without an absolute path (records already carry the note) but
    with a vault-relative one (``.obsidian/app.json:``) that names another file."""
    if isinstance(exc, VaultkitError):
        absolute = exc.path is not None and Path(exc.path).is_absolute()
        return exc.message if absolute else str(exc)
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


_Refusal = tuple[SkipCode, str] | tuple[None, None]


def _refusal(lines: list[str], region: Region, force: frozenset[str]) -> _Refusal:
    problems = validate_params(region.spec)
    if problems:
        return SkipCode.BAD_PARAMETER, "; ".join(problems)
    edited = None if region.spec.id in force else edit_problem(lines, region)
    return (SkipCode.HAND_EDITED, edited) if edited else (None, None)


def _generated_problem(generated: Generated) -> _Refusal:
    for chart in generated.charts:
        problem = chart_name_problem(chart.name)
        if problem:
            return SkipCode.BAD_CHART, f"generator returned chart {chart.name!r}: {problem}"
    if "<!--" in generated.body and "vaultkit:" in generated.body:
        return SkipCode.GENERATION_FAILED, "generated body contains a vaultkit marker; refused"
    return None, None


def _chart_path(root: Path, rel: str, name: str) -> Path:
    return writer.inside_vault(root, writer.attachment_folder(root, rel) / name)


def _stale_charts(root: Path, rel: str, charts: tuple[Chart, ...]) -> tuple[Chart, ...]:
    """The charts whose bytes differ from what is on disk (a same-data rerun has none)."""
    return tuple(c for c in charts
                 if writer.snapshot(_chart_path(root, rel, c.name)).data != c.png)


def _write_charts(opt: _Options, rel: str, charts: tuple[Chart, ...]) -> list[str]:
    """Write a region's charts by compare-and-swap; their vault-relative paths."""
    if not opt.write:
        return []
    written = []
    for chart in charts:
        target = _chart_path(opt.root, rel, chart.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if writer.write(writer.snapshot(target), chart.png):
            written.append(target.relative_to(opt.root.resolve()).as_posix())
    return written


def _remove_stale_temp_files(root: Path, notes: list[str], state_dir: Path) -> None:
    folders = {(root / rel).parent for rel in notes} | {state_dir}
    for rel in notes:
        try:
            folders.add(writer.attachment_folder(root, rel))
        except (VaultkitError, OSError):
            continue  # reported when a chart is written there
    for folder in folders:
        if folder.is_dir():
            writer.remove_stale_temp_files(folder)


def _load_state(state_dir: Path) -> dict[str, int] | None:
    try:
        data: Any = json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return None
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, dict):
        return None
    return {str(k): int(v) for k, v in notes.items() if isinstance(v, int)}


def _save_state(state_dir: Path, mtimes: dict[str, int]) -> None:
    text = json.dumps({"version": 1, "notes": dict(sorted(mtimes.items()))}, indent=1) + "\n"
    path = state_dir / STATE_FILE
    writer.write(writer.snapshot(path), text.encode("utf-8"))
