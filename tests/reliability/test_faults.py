"""Faults during a refresh: a SIGKILL at any disk operation, a failing disk operation
(ENOSPC, EACCES, EIO, EROFS, EPERM), a note edited while the refresh runs.

After any of them every note and chart is either the old or the new version, never a mix,
a note is never newer than the charts it embeds, the failure is reported, and the next
refresh completes the job and leaves no temp file.
"""

from __future__ import annotations

import errno
import itertools
import os
import random
import shutil
import signal
from pathlib import Path

import pytest

from vaultkit.refresh.report import WRITTEN, RefreshReport
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import Generated, RegionSpec

from .faults import FaultPoints, fault_points, kill_self, raise_errno
from .figures import SOAK, count, record_preserved, scale
from .vaults import FakeGenerator, files, temp_files, tracker_note

NOTES, REGIONS = 4, 2
#: Plausible failures of each operation.
ERRNOS = {
    "mkstemp": (errno.EACCES, errno.ENOSPC, errno.EROFS),
    "write": (errno.ENOSPC, errno.EIO),
    "write:half": (errno.ENOSPC, errno.EDQUOT),
    "fsync": (errno.EIO, errno.ENOSPC),
    "chmod": (errno.EPERM,),
    "replace": (errno.EACCES, errno.EBUSY),
    "rename": (errno.EACCES,),
    "open": (errno.EACCES, errno.EMFILE),
    "mkdir": (errno.EACCES, errno.ENOSPC),
    "ftruncate": (errno.EIO,),
    "pwrite": (errno.ENOSPC,),
}


def generator(version: str) -> FakeGenerator:
    return FakeGenerator(version, rows=40, chart_bytes=20_000)


def refresh(root: Path, version: str) -> RefreshReport:
    return refresh_vault(root, generate=generator(version), settle=0)


class MixedGenerator(FakeGenerator):
    """Version 2 for the regions in ``new_ids``, version 1 for the others."""

    def __init__(self, new_ids: set[str]) -> None:
        super().__init__("2", rows=40, chart_bytes=20_000)
        self.new_ids = new_ids

    def __call__(self, spec: RegionSpec) -> Generated:
        self.version = "2" if spec.id in self.new_ids else "1"
        return super().__call__(spec)


Versions = tuple[Path, dict[str, bytes], dict[str, bytes], dict[bytes, set[str]], list[str]]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    """A vault refreshed once (old), what a second version makes of it (new), every note a
    refresh may legitimately leave (some regions new, some skipped: bytes → new region
    ids), and the fault points of the second refresh."""
    base = tmp_path_factory.mktemp("faults")
    pristine = base / "pristine"
    (pristine / "Notes").mkdir(parents=True)
    for n in range(NOTES):
        (pristine / "Notes" / f"Note {n}.md").write_text(tracker_note(n, REGIONS, chart=True))
    (pristine / "Untouched.md").write_text("# No regions here\n")
    refresh(pristine, "1")
    old = files(pristine)
    allowed: dict[bytes, set[str]] = {}
    ids = [f"r{r}" for r in range(REGIONS)]
    for size in range(REGIONS + 1):
        for new_ids in itertools.combinations(ids, size):
            mixed = base / f"mixed-{'-'.join(new_ids)}"
            shutil.copytree(pristine, mixed)
            refresh_vault(mixed, generate=MixedGenerator(set(new_ids)), settle=0)
            for rel, data in files(mixed).items():
                if rel.startswith("Notes/"):
                    allowed[data] = set(new_ids)
    probe = base / "probe"
    shutil.copytree(pristine, probe)
    with fault_points(FaultPoints()) as points:
        refresh(probe, "2")
    new = files(probe)
    changed = [k for k in old if old[k] != new[k]]
    assert len(changed) == NOTES * (1 + REGIONS), changed  # every note and every chart
    return pristine, old, new, allowed, points.seen


def check_old_or_new(vault: Path, versions: Versions, context: str) -> dict[str, bytes]:
    """Every chart old or new, every note old, new, or new in some regions only — and a
    region is new only when its chart is; returns the files."""
    _, old, new, allowed, _ = versions
    after = {k: v for k, v in files(vault).items() if not k.endswith(".vaultkit-tmp")}
    assert after.keys() == old.keys(), f"{context}: {after.keys() ^ old.keys()}"
    for rel, data in after.items():
        legitimate = data in (old[rel], new[rel]) or (rel.startswith("Notes/") and data in allowed)
        record_preserved(__name__, data if legitimate else old[rel], data)
        if not rel.startswith("Notes/"):
            assert data in (old[rel], new[rel]), f"{context}: {rel} is neither old nor new"
            continue
        assert data in allowed, f"{context}: {rel} is not a state a refresh can leave"
        n = rel.removeprefix("Notes/Note ").removesuffix(".md")
        for region in allowed[data]:
            chart = f"n{n}-{region}.png"
            assert after[chart] == new[chart], f"{context}: {rel} {region} is new, {chart} old"
    return after


def finish(vault: Path, new: dict[str, bytes], context: str) -> None:
    """The next refresh completes the job and removes what the failure left."""
    refresh(vault, "2")
    assert files(vault) == new, context
    assert not temp_files(vault), context


def _fork_refresh(vault: Path, at: int) -> int:
    """Refresh ``vault`` in a forked child that SIGKILLs itself at fault point ``at``."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        code = 0
        try:
            with fault_points(FaultPoints(at, kill_self)):
                refresh(vault, "2")
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


def test_sigkill_at_any_disk_operation_leaves_old_or_new(
        versions: Versions, tmp_path: Path) -> None:
    pristine, old, new, _, seen = versions
    total = len(seen)
    rng = random.Random(os.environ.get("VAULTKIT_KILL_SEED", "reliability"))
    # Soak: every fault point, then random ones up to the trial count; normal: a sample.
    trials = scale(30, 300)
    points = list(range(1, total + 1)) if SOAK else []
    points += [rng.randint(1, total) for _ in range(max(0, trials - len(points)))]
    mixed = leftovers = 0
    for trial, at in enumerate(points):
        vault = tmp_path / f"kill{trial}"
        shutil.copytree(pristine, vault)
        status = _fork_refresh(vault, at)
        context = f"kill at point {at}/{total} ({seen[at - 1]})"
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, context
        after = check_old_or_new(vault, versions, context)
        mixed += len({after[k] == new[k] for k in after if old[k] != new[k]}) == 2
        stray = temp_files(vault)
        assert all(p.name.startswith(".") for p in stray), context
        leftovers += bool(stray)
        finish(vault, new, context)
        count(__name__, "kills survived")
        shutil.rmtree(vault)
    print(f"\nkills: {len(points)} over {total} fault points; {mixed} left a mix of old and "
          f"new files, {leftovers} left a temp file (removed by the next refresh)")
    assert mixed > 0, "no kill landed between two file writes; the test proves nothing"


def _fault_cases(seen: list[str]) -> list[tuple[int, str, int]]:
    cases = [(at, name, code) for at, name in enumerate(seen, start=1)
             if ":after" not in name for code in ERRNOS.get(name, ())]
    if SOAK:
        return cases
    return random.Random("faults").sample(cases, min(len(cases), 40))


def test_failing_disk_operations_leave_old_or_new_and_are_reported(
        versions: Versions, tmp_path: Path) -> None:
    pristine, old, new, _, seen = versions
    cases = _fault_cases(seen)
    silent: list[str] = []
    for trial, (at, name, code) in enumerate(cases):
        vault = tmp_path / f"fault{trial}"
        shutil.copytree(pristine, vault)
        context = f"{errno.errorcode[code]} at point {at} ({name})"
        raised: Exception | None = None
        report: RefreshReport | None = None
        with fault_points(FaultPoints(at, raise_errno(code))):
            try:
                report = refresh(vault, "2")
            except Exception as exc:  # what escapes is checked below
                raised = exc
        count(__name__, "faults injected")
        after = check_old_or_new(vault, versions, context)
        assert not temp_files(vault), f"{context}: temp file left behind"
        message = os.strerror(code)
        if raised is not None:
            assert message in str(raised), f"{context}: {raised!r}"
        else:
            assert report is not None
            for outcome in report.notes:
                written = after[outcome.path] != old[outcome.path]
                assert written == (outcome.status == WRITTEN), (
                    f"{context}: {outcome.status} but the note is "
                    f"{'changed' if written else 'unchanged'}")
            reasons = [r.reason or "" for r in report.records] + list(report.warnings)
            if not any(message in reason for reason in reasons):
                silent.append(context)
        finish(vault, new, context)
        shutil.rmtree(vault)
    print(f"\nfaults: {len(cases)} injected over {len(seen)} fault points; "
          f"harmless (nothing lost, nothing to report): {len(silent)}")
    for context in silent:
        # mkdir of a folder that exists: pathlib's exist_ok ignores the error, rightly.
        assert "(mkdir)" in context, f"{context}: failure not reported"
