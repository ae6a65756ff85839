"""The action library: the real file is complete and faithful; each kind of bad file is rejected."""
import copy
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from spiegel.instrument import load_instrument
from spiegel.instrument.schema import REF
from spiegel.plans.library import LIBRARY_FILE, OWNERS, LibraryError, load_library

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

UNIPOLAR = ["I1", "I2", "I3", "P1", "P2", "P3", "S1", "S2", "S3", "S4", "R1", "R8", "R9", "R10", "R11", "L1", "L2", "L3", "L4", "L5", "L6"]
BIPOLAR = ["R2", "R3", "R4", "R5", "R6", "R7"]
PILLARS = [f"BV{i}" for i in range(1, 9)]
OUTCOMES = [f"D{i}" for i in range(1, 8)]


def test_real_library_loads_and_covers_every_element():
    library = load_library()
    counts = Counter(element for action in library for element in action.elements)
    for element in UNIPOLAR + BIPOLAR + PILLARS:
        assert counts[element] >= 2, element
    for outcome in OUTCOMES:
        assert counts[outcome] == 0
    assert len(library) >= 100


def test_every_non_outcome_element_of_the_instrument_is_served():
    library = load_library()
    for module in load_instrument().current():
        for group in module.groups:
            for element in group.elements:
                served = library.for_element(element.id)
                assert (len(served) >= 2) == (group.kind != "outcome"), element.id


def test_bipolar_elements_have_actions_for_their_poles():
    library = load_library()
    for element in ("R2", "R3", "R4", "R6"):
        for pole in "ab":
            assert any(a.serves_unit(element + pole) for a in library), element + pole


def test_texts_are_short_titles_and_one_sentence():
    for action in load_library():
        assert set(action.title) == set(action.how) == {"nl", "en", "fr"}
        for lang in ("nl", "en", "fr"):
            assert not action.title[lang].endswith(".")
            assert action.how[lang][-1] in ".?!"
        assert action.owner in OWNERS


def _passage(source: str) -> str:
    parts = []
    for part in source.split(","):
        match = REF.fullmatch(part.strip())
        seed, first = match.group(1), int(match.group(2))
        last = int(match.group(3) or first)
        [path] = SEEDS_DIR.glob(f"{seed}_*.txt")
        parts.append("\n".join(path.read_text(encoding="utf-8").splitlines()[first - 1:last]))
    return _norm("\n".join(parts))


def _norm(text: str) -> str:
    text = re.sub(r"-\s*\n\s*", "", text)
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the research reports are not beside this checkout")
def test_every_key_term_is_quoted_from_its_cited_passage():
    missing = [(a.id, fragment) for a in load_library() for fragment in a.term.split("…")
               if _norm(fragment) not in _passage(a.source)]
    assert missing == []


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the research reports are not beside this checkout")
def test_seedref_finds_no_bad_citation():
    import subprocess

    seedref = SEEDS_DIR.parent / "tools" / "seedref"
    result = subprocess.run([str(seedref), "--check", str(LIBRARY_FILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- bad files ------------------------------------------------------------------------------------

def text(word):
    return {"nl": f"{word} nl", "en": f"{word} en", "fr": f"{word} fr"}


def action(aid="i1-first", serves=("I1",), **extra):
    return {"id": aid, "serves": list(serves), "source": "000:1403-1406", "term": "leerlingen", "owner": "team",
            "title": text("Title"), "how": {"nl": "Zo doe je het.", "en": "Do it so.", "fr": "Faites ainsi."},
            **extra}


def good():
    return {"version": 1, "actions": [action(), action("r2-informal", ["R2b", "BV7"], phases=["BOR", "DIF"])]}


def load(tmp_path, data, minimum=0):
    path = tmp_path / "actions.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_library.__wrapped__(path, minimum)


def test_a_good_small_file_loads(tmp_path):
    library = load(tmp_path, good())
    informal = library.get("r2-informal")
    assert informal.serves == ("R2b", "BV7") and informal.elements == ("R2", "BV7")
    assert informal.phases == ("BOR", "DIF")
    assert [a.id for a in library.for_element("R2")] == ["r2-informal"]


def broken(mutate):
    data = copy.deepcopy(good())
    mutate(data)
    return data


BAD = {
    "not yaml": ("version: [1", "cannot be read as YAML"),
    "not a mapping": ("- 1\n- 2\n", "expected a mapping"),
    "no actions": (broken(lambda d: d.update(actions=[])), "non-empty list"),
    "bad version": (broken(lambda d: d.update(version=0)), "version must be a positive integer"),
    "unknown top key": (broken(lambda d: d.update(extra=1)), "unknown key(s) extra"),
    "missing key": (broken(lambda d: d["actions"][0].pop("how")), "i1-first: missing how"),
    "unknown key": (broken(lambda d: d["actions"][0].update(weight=3)), "i1-first: unknown key(s) weight"),
    "duplicate id": (broken(lambda d: d["actions"].append(action())), "i1-first: duplicate id"),
    "bad id": (broken(lambda d: d["actions"][0].update(id="I1 First")), "invalid id"),
    "missing language": (broken(lambda d: d["actions"][0]["title"].pop("fr")), "title lacks the 'fr' text"),
    "empty text": (broken(lambda d: d["actions"][0]["how"].update(en="  ")), "how lacks the 'en' text"),
    "extra language": (broken(lambda d: d["actions"][0]["title"].update(de="x")), "unknown language(s) de"),
    "not a text": (broken(lambda d: d["actions"][0].update(title="Title")), "title must give nl, en and fr"),
    "too long": (broken(lambda d: d["actions"][0]["title"].update(nl="x" * 101)), "longer than 100"),
    "title with full stop": (broken(lambda d: d["actions"][0]["title"].update(en="Do it.")), "closing full stop"),
    "two sentences": (broken(lambda d: d["actions"][0]["how"].update(en="Do it. Then stop.")), "one sentence"),
    "citation form": (broken(lambda d: d["actions"][0].update(source="L1403-1406")), "not of the form SSS:A-B"),
    "citation outside seed": (broken(lambda d: d["actions"][0].update(source="001:1300-1400")),
                              "lines outside seed 001"),
    "unknown seed": (broken(lambda d: d["actions"][0].update(source="009:1-2")), "unknown seed 009"),
    "citation too wide": (broken(lambda d: d["actions"][0].update(source="000:1-900")), "range too wide"),
    "unknown element": (broken(lambda d: d["actions"][0].update(serves=["X9"])), "X9 is not an element"),
    "unknown pole": (broken(lambda d: d["actions"][0].update(serves=["R2c"])), "R2c is not an element"),
    "pole of a unipolar element": (broken(lambda d: d["actions"][0].update(serves=["I1a"])), "I1a is not"),
    "outcome element": (broken(lambda d: d["actions"][0].update(serves=["D3"])), "outcomes get no actions"),
    "element twice": (broken(lambda d: d["actions"][0].update(serves=["I1", "I1"])), "listed twice"),
    "no elements": (broken(lambda d: d["actions"][0].update(serves=[])), "serves must be a non-empty list"),
    "bad owner": (broken(lambda d: d["actions"][0].update(owner="principal")), "owner must be one of"),
    "bad phase": (broken(lambda d: d["actions"][0].update(phases=["LATER"])), "phases must be"),
    "empty term": (broken(lambda d: d["actions"][0].update(term="")), "term must be"),
}


@pytest.mark.parametrize("case", BAD)
def test_each_kind_of_bad_file_is_rejected(tmp_path, case):
    data, message = BAD[case]
    with pytest.raises(LibraryError) as error:
        load(tmp_path, data)
    assert error.value.args[0].startswith("actions.yaml: ")
    assert message in str(error.value)


def test_an_element_without_enough_actions_is_rejected(tmp_path):
    with pytest.raises(LibraryError, match=r"I1: has 1 actions; every sub-element and pillar needs at least 2"):
        load(tmp_path, good(), minimum=2)
