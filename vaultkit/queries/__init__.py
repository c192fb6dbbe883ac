"""Read-only questions asked of a loaded vault; each returns plain records or DataFrames."""
