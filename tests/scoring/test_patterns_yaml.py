"""patterns.yaml: every text in nl, en and fr, every variant the rules emit, valid seed references."""
import re
from pathlib import Path

import pytest
import yaml

from spiegel.instrument.model import LANGUAGES
from spiegel.scoring.pattern_texts import PATTERNS_FILE, PatternDataError, load_patterns
from spiegel.scoring.patterns import PATTERNS

SEEDS_FILE = Path(__file__).resolve().parents[2] / "spiegel" / "instrument" / "seeds.yaml"
REF = re.compile(r"(\d{3}):(\d+)(?:-(\d+))?")
RAW = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))


def seed_lines():
    return {seed: entry["lines"] for seed, entry in yaml.safe_load(SEEDS_FILE.read_text()).items()}


def all_refs():
    for pattern_id, entry in RAW.items():
        for ref in entry["refs"]:
            yield pattern_id, ref
        for name, variant in (entry.get("variants") or {}).items():
            for ref in variant.get("refs", []):
                yield f"{pattern_id}.{name}", ref


def test_every_registered_pattern_has_texts_and_nothing_else_does():
    assert [p.id for p in PATTERNS] == list(RAW)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_texts_in_every_language(pattern):
    info = load_patterns()[pattern.id]
    for text in (info.name, info.explanation, info.prompt):
        assert set(text) == set(LANGUAGES)
        assert all(text[lang].strip() for lang in LANGUAGES)
    assert set(info.variants) == set(pattern.variants)
    for variant in info.variants.values():
        assert set(variant.text) == set(LANGUAGES) and all(variant.text.values())


@pytest.mark.parametrize("where, ref", list(all_refs()))
def test_seed_references_point_inside_their_seed(where, ref):
    match = REF.fullmatch(ref)
    assert match, f"{where}: {ref!r} is not SSS:A-B"
    lines = seed_lines()
    seed, first = match.group(1), int(match.group(2))
    last = int(match.group(3) or first)
    assert seed in lines, f"{where}: unknown seed {seed}"
    assert 1 <= first <= last <= lines[seed], f"{where}: {ref} outside 1-{lines[seed]}"
    assert last - first <= 400


def test_a_missing_language_is_refused(tmp_path):
    broken = {"PP01": {**RAW["PP01"], "prompt": {"nl": "Vraag?", "en": "Question?"}}}
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(PatternDataError, match="prompt"):
        load_patterns(path)


def test_a_pattern_without_references_is_refused(tmp_path):
    broken = {"PP01": {k: v for k, v in RAW["PP01"].items() if k != "refs"}}
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(PatternDataError, match="refs"):
        load_patterns(path)
