"""No block of six lines is written twice outside migrations (issue 11): the same logic
lives in one place. The library's `duplicates` command also lists blocks alike but for names
and values; this guards the exact repeats on every commit.

Lines that say nothing on their own do not count towards a block: blank lines, brackets and
punctuation, import lines (two modules may well import the same four things) and bare
docstring quotes. Vendored files, built CSS and migrations are left out.
"""

import collections
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WINDOW = 6
SUFFIXES = {".py", ".html", ".js", ".scss", ".vcl"}
SKIPPED_PREFIXES = ("static/css/", "static/vendor/", "frontend/node_modules/")
SAYS_NOTHING = re.compile(r"""^([\s()\[\]{},;:]*|(from \S+ )?import .*|[rbu]?(\"\"\"|''')|#.*)$""")


def tracked_files():
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs a git checkout")
    for name in listed:
        if (
            Path(name).suffix in SUFFIXES
            and "/migrations/" not in name
            and not name.startswith(SKIPPED_PREFIXES)
        ):
            yield name


def repeated_blocks():
    places = collections.defaultdict(list)
    for name in tracked_files():
        try:
            lines = (ROOT / name).read_text().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        meaningful = [
            (number, line.strip())
            for number, line in enumerate(lines, start=1)
            if not SAYS_NOTHING.match(line.strip())
        ]
        for start in range(len(meaningful) - WINDOW + 1):
            block = tuple(text for _, text in meaningful[start : start + WINDOW])
            places[block].append(f"{name}:{meaningful[start][0]}")
    return {block: where for block, where in places.items() if len(where) > 1}


def test_no_block_of_six_lines_is_written_twice():
    repeats = repeated_blocks()
    report = [f"{' = '.join(where)}: {block[0][:60]}" for block, where in repeats.items()]
    assert report == []
