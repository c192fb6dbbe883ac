"""Refresh: regenerate managed regions, charts and dated updates; write notes back safely."""
