"""The typed-value core that vaultkit's query languages share: Dataview (DQL, in
:mod:`vaultkit.dataview`) and Obsidian Bases (:mod:`vaultkit.bases`).

Shared, with a stable API:

- :mod:`vaultkit.lang.values` — the value model (null ``None``, ``bool``, ``int``/``float``,
  ``str``, ``datetime.date``/``datetime.datetime``, :class:`~vaultkit.lang.values.Duration`,
  :class:`~vaultkit.lang.values.Link` equal by resolved path, ``list``, ``dict``), type names
  (:func:`~vaultkit.lang.values.type_name`), one total order for sorting mixed types
  (:func:`~vaultkit.lang.values.compare`, :data:`~vaultkit.lang.values.sort_key`),
  truthiness, and conversion to JSON (:func:`~vaultkit.lang.values.to_json`: ISO dates and
  durations, links as vault paths) and to DataFrame cells
  (:func:`~vaultkit.lang.values.to_cell`, :func:`~vaultkit.lang.values.to_frame`).
- :mod:`vaultkit.lang.literals` — typing field text: dates, durations, links, lists.
- :mod:`vaultkit.lang.dates` — date ± duration, date − date, date parts, Luxon formats.
- :mod:`vaultkit.lang.fields` — key normalisation and merging repeated keys.
- :mod:`vaultkit.lang.lists` — list items and tasks (``file.lists``, ``file.tasks``).
- :mod:`vaultkit.lang.pages` — :class:`~vaultkit.lang.pages.Pages` and
  :class:`~vaultkit.lang.pages.Page`: one note's fields (implicit ``file.*``, frontmatter,
  inline fields, tags, links, inlinks, tasks and list items), built lazily from a loaded
  :class:`~vaultkit.vault.Vault`.

Where the languages' rules differ (each engine applies its own; the core does not choose):

- Dataview sees frontmatter *and* inline fields (``key:: value``, ``[key:: value]``,
  ``(key:: value)``), types a frontmatter string that is wholly a date, duration or link as
  one, merges a repeated key into a list, and adds the normalised key (``Key Name`` →
  ``key-name``): :attr:`Page.fields <vaultkit.lang.pages.Page.fields>`.
- Dataview orders values of different types by type name and puts null first
  (``compareValue``); ``=`` is that order's equality (``1 = 1.0``; links by path).
- Dataview has a single ``date`` type (a plain date is midnight); JSON writes a midnight
  date as ``YYYY-MM-DD``.
- Bases: see :mod:`vaultkit.bases` (its engineer documents the Bases side there).
"""
