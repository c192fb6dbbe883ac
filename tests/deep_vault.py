"""A small vault shaped like Obsidian's community vault (the Obsidian Hub): deep numbered
folders, long note names, plugin and theme notes that cite each other in sentences and
tables, unlinked mentions, two lint problems, and a tracker with managed regions.

The terminal goldens (tests/golden/*-deep.txt) are rendered on it; run as a script to
write one for looking at by hand: ``python tests/deep_vault.py /tmp/deep``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "vault"

EXPANSIONS = "02 - Community Expansions"
ALL = f"{EXPANSIONS}/02.05 All Community Expansions"
PLUGINS = f"{ALL}/Plugins"
THEMES = f"{ALL}/Themes"
CATEGORIES = f"{EXPANSIONS}/02.01 Plugins by Category"
GUIDES = "04 - Guides, Workflows, & Courses/04.01 Guides/For Researchers"
TRACKERS = "05 - Market Research/05.02 Trackers and Dashboards"

PLUGIN_NAMES = ("obsidian-outliner", "Dataview", "Templater", "Tasks", "Calendar",
                "Kanban", "Excalidraw", "Periodic Notes", "Advanced Tables",
                "Citations (Zotero integration for literature notes)")
THEME_NAMES = ("Sanctum", "Minimal", "Things", "Blue Topaz", "California Coast")
CATEGORY_NAMES = ("Task management plugins", "Research and citation plugins",
                  "Writing and outlining plugins")
GUIDE_NAMES = (
    "How to run a research literature review with Zotero, Dataview and Templater",
    "Using Obsidian as a market research notebook for sector rotation",
)


def _plugin(number: int, name: str) -> str:
    peer = PLUGIN_NAMES[(number + 1) % len(PLUGIN_NAMES)]
    other = PLUGIN_NAMES[(number + 3) % len(PLUGIN_NAMES)]
    category = CATEGORY_NAMES[number % len(CATEGORY_NAMES)]
    theme = THEME_NAMES[number % len(THEME_NAMES)]
    return (
        f"---\naliases: [{name.split()[0].lower()}-plugin]\ntags: [plugin, "
        f"category/{category.split()[0].lower()}]\n---\n# {name}\n\n"
        f"Part of [[{category}]]. Works well with [[{peer}]] and [[{other}]], and looks best "
        f"in the [[{theme}]] theme.\n\n"
        "| Plugin | Downloads | Change | Note |\n|---|---|---|---|\n"
        f"| [[{peer}]] | {120 + number * 37}k | +{number + 2}% | pairs with {name} |\n"
        f"| [[{other}\\|{other.split()[0]}]] | {45 + number * 11}k | -{number % 4 + 1}.5% | "
        f"see [[{GUIDE_NAMES[number % 2]}]] |\n\n"
        f"Many people use {peer} with this one without linking the two.\n"
    )


def _theme(number: int, name: str) -> str:
    plugin = PLUGIN_NAMES[number * 2 % len(PLUGIN_NAMES)]
    return (f"# {name}\n\nA theme. Styles [[{plugin}]] lists; pairs with "
            f"[[{THEME_NAMES[(number + 1) % len(THEME_NAMES)]}]].\n\n"
            f"Screenshots: ![[{name.lower().replace(' ', '-')}-screenshot.png]]\n")


def _category(number: int, name: str) -> str:
    members = [p for i, p in enumerate(PLUGIN_NAMES) if i % len(CATEGORY_NAMES) == number]
    listing = "\n".join(f"- [[{p}]]" for p in members)
    return f"# {name}\n\n{listing}\n\nSee also [[{GUIDE_NAMES[0]}]].\n"


def _guide(number: int, name: str) -> str:
    cited = ", ".join(f"[[{p}]]" for p in PLUGIN_NAMES[number * 3:number * 3 + 4])
    return (f"# {name}\n\n## Setup\n\nInstall {cited} first.\n\n"
            f"## Workflow\n\nTag sources, then query them with [[Dataview]]; Dataview and "
            f"Tasks together make the review queue. Track the [[Rotation tracker (community "
            f"edition)]] weekly.\n\n| Step | Plugin |\n|---|---|\n"
            "| 1 | [[Templater|Templater]] |\n")


TRACKER = """# Rotation tracker (community edition)

Energy vs software, from [[Using Obsidian as a market research notebook for sector rotation]].

<!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV window=90d chart=xle-vs-igv.png -->
<!-- vaultkit:end id=xle-igv -->

<!-- vaultkit:begin id=xle-spy kind=pair a=XLE b=SPY window=90d -->
| written by hand | 1 |
<!-- vaultkit:end id=xle-spy -->
"""


def deep_files() -> dict[str, str]:
    """The vault's notes: vault path → text."""
    files: dict[str, str] = {}
    for number, name in enumerate(PLUGIN_NAMES):
        files[f"{PLUGINS}/{name}.md"] = _plugin(number, name)
    for number, name in enumerate(THEME_NAMES):
        files[f"{THEMES}/{name}.md"] = _theme(number, name)
    for number, name in enumerate(CATEGORY_NAMES):
        files[f"{CATEGORIES}/{name}.md"] = _category(number, name)
    for number, name in enumerate(GUIDE_NAMES):
        files[f"{GUIDES}/{name}.md"] = _guide(number, name)
    files[f"{TRACKERS}/Rotation tracker (community edition).md"] = TRACKER
    files["00 - Start here.md"] = ("# Start here\n\nBrowse [[Sanctum]], [[Dataview]] and "
                                   f"[[{CATEGORY_NAMES[0]}]].\n")
    return files


def write_deep_vault(root: Path) -> Path:
    """Write the vault under ``root`` (prices for the tracker copied from the sample)."""
    for rel, text in deep_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    prices = root / "data" / "prices"
    prices.mkdir(parents=True, exist_ok=True)
    for ticker in ("XLE", "IGV", "SPY"):
        shutil.copy(SAMPLE / "data" / "prices" / f"{ticker}.csv", prices)
    return root


if __name__ == "__main__":
    print(write_deep_vault(Path(sys.argv[1])))
