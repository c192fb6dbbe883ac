"""Reliability suite: fuzzing, a bad-input corpus, fault injection. ``make soak`` runs it long."""
