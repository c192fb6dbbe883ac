"""Default region templates, installed as ``vaultkit.refresh.templates`` (see pyproject.toml).

A vault overrides one by placing a file of the same name in ``.vaultkit/templates/``.
"""
