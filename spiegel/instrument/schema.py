"""The checks every reader of a hand-edited YAML data file shares (the item bank, spiegel/instrument/data;
the action library, spiegel/plans/actions.yaml): a bad file fails at start-up with a message naming the
file, the entry and the problem, as the reader's own error class.

A reader subclasses :class:`DataReader`, sets ``error`` and adds its own rules; the texts (nl, en, fr),
known keys, lists, positive integers and citations of the research reports (``SSS:A-B`` inside the
seed, line counts from seeds.yaml) are checked here."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from spiegel.instrument.model import LANGUAGES

SEEDS_FILE = Path(__file__).parent / "seeds.yaml"
REF = re.compile(r"(\d{3}):(\d+)(?:-(\d+))?")
MAX_CITATION_WIDTH = 400


def seed_lines() -> dict[str, int]:
    """Seed id → its number of lines (what a citation may point into)."""
    return {seed: entry["lines"] for seed, entry in yaml.safe_load(SEEDS_FILE.read_text()).items()}


def citation_problem(value, seeds: dict[str, int]) -> str | None:
    """What is wrong with a "SSS:A-B, SSS:A-B" citation string, or None when every part is a line
    range inside its seed (used by every data file that cites the research reports)."""
    if not isinstance(value, str) or not value.strip():
        return "source must cite seed lines as SSS:A-B"
    for part in value.split(","):
        match = REF.fullmatch(part.strip())
        if not match:
            return f"source {part.strip()!r} is not of the form SSS:A-B"
        seed, first = match.group(1), int(match.group(2))
        last = int(match.group(3) or first)
        if seed not in seeds:
            return f"source {part.strip()}: unknown seed {seed}"
        if not 1 <= first <= last <= seeds[seed]:
            return f"source {part.strip()}: lines outside seed {seed} (1-{seeds[seed]})"
        if last - first > MAX_CITATION_WIDTH:
            return f"source {part.strip()}: range too wide to be a citation"
    return None


class DataReader:
    """Reads one YAML data file, failing on the first problem with a precise message."""

    error: type[ValueError] = ValueError

    def __init__(self, path: Path, seeds: dict[str, int]):
        self.path = path
        self.seeds = seeds

    def fail(self, where: str, problem: str):
        raise self.error(f"{self.path.name}: {where}: {problem}")

    def load(self):
        try:
            return yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            self.fail("(file)", f"cannot be read as YAML: {exc}")

    def keys(self, data, where: str, required: set[str], optional: set[str] = frozenset()):
        if not isinstance(data, dict):
            self.fail(where, "expected a mapping")
        missing = required - data.keys()
        unknown = data.keys() - required - optional
        if missing:
            self.fail(where, f"missing {', '.join(sorted(missing))}")
        if unknown:
            self.fail(where, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")

    def list(self, value, where: str, name: str, allow_empty: bool = False) -> list:
        if not isinstance(value, list) or (not value and not allow_empty):
            self.fail(where, f"{name} must be a non-empty list")
        return value

    def positive_int(self, value, where: str, name: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(where, f"{name} must be a positive integer")
        return value

    def text(self, value, where: str, name: str, limit: int | None = None) -> dict[str, str]:
        """A text in every language ({"nl": …, "en": …, "fr": …}), stripped; at most ``limit`` characters."""
        if not isinstance(value, dict):
            self.fail(where, f"{name} must give nl, en and fr")
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.fail(where, f"{name} lacks the {lang!r} text")
            if limit is not None and len(value[lang].strip()) > limit:
                self.fail(where, f"{name} ({lang}) is longer than {limit} characters")
        extra = value.keys() - set(LANGUAGES)
        if extra:
            self.fail(where, f"{name} has unknown language(s) {', '.join(sorted(map(str, extra)))}")
        return {lang: value[lang].strip() for lang in LANGUAGES}

    def source(self, value, where: str) -> str:
        if (problem := citation_problem(value, self.seeds)) is not None:
            self.fail(where, problem)
        return value.strip()
