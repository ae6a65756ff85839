"""The patterns' texts and seed references (spiegel/scoring/patterns.yaml), validated: every text in
nl, en and fr, references present. The rules themselves are in :mod:`spiegel.scoring.patterns`."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

from spiegel.instrument.model import LANGUAGES
from spiegel.scoring.results import PatternInfo, VariantInfo

PATTERNS_FILE = Path(__file__).parent / "patterns.yaml"


class PatternDataError(ValueError):
    """patterns.yaml breaks a rule; the message names the pattern and the problem."""


@cache
def load_patterns(path: Path = PATTERNS_FILE) -> Mapping[str, PatternInfo]:
    """Every pattern's texts, validated: all three languages, references present."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PatternDataError(f"{path.name}: expected a mapping of pattern ids")
    return {pattern_id: _pattern_info(pattern_id, entry) for pattern_id, entry in data.items()}


def _pattern_info(pattern_id: str, entry: object) -> PatternInfo:
    if not isinstance(entry, dict):
        raise PatternDataError(f"{pattern_id}: expected a mapping")
    unknown = entry.keys() - {"refs", "name", "explanation", "prompt", "variants"}
    if unknown:
        raise PatternDataError(f"{pattern_id}: unknown key(s) {sorted(unknown)}")
    variants = entry.get("variants") or {}
    return PatternInfo(
        id=pattern_id,
        refs=_refs(entry.get("refs"), pattern_id, required=True),
        name=_text(entry.get("name"), f"{pattern_id} name"),
        explanation=_text(entry.get("explanation"), f"{pattern_id} explanation"),
        prompt=_text(entry.get("prompt"), f"{pattern_id} prompt"),
        variants={
            name: VariantInfo(_text({k: v for k, v in (spec or {}).items() if k != "refs"}, f"{pattern_id}.{name}"),
                              _refs((spec or {}).get("refs"), f"{pattern_id}.{name}", required=False))
            for name, spec in variants.items()
        },
    )


def _text(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise PatternDataError(f"{where}: needs exactly the languages {', '.join(LANGUAGES)}")
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise PatternDataError(f"{where}: empty text")
    return {lang: " ".join(value[lang].split()) for lang in LANGUAGES}


def _refs(value: object, where: str, required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(ref, str) for ref in value):
        raise PatternDataError(f"{where}: refs must be a non-empty list of seed references")
    return tuple(value)
