"""Doctests in vaultkit/ run against the sample vault: ``vault`` and ``SAMPLE_VAULT``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vaultkit import Vault

SAMPLE_VAULT = Path(__file__).parent / "vault"


@pytest.fixture(autouse=True)
def _sample_vault(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["SAMPLE_VAULT"] = SAMPLE_VAULT
    doctest_namespace["vault"] = _loaded()


_cache: list[Vault] = []


def _loaded() -> Vault:
    if not _cache:  # once per session; cache=False leaves nothing in vault/
        _cache.append(Vault.load(SAMPLE_VAULT, cache=False))
    return _cache[0]
