"""The loader accepts a good file and rejects each kind of bad one with file, id and problem."""
import copy
import re
from pathlib import Path

import pytest
import yaml

from spiegel.instrument.loader import InstrumentError, load_instrument
from spiegel.instrument.schema import seed_lines


def text(word):
    return {"nl": f"{word} nl", "en": f"{word} en", "fr": f"{word} fr"}


def element(eid, n_items=2, **extra):
    return {
        "id": eid, "name": text(eid), "definition": text("def"), "source": "000:1400-1417",
        "polarity": "unipolar", "roles": "all",
        "items": [{"id": f"{eid}.{i}", "text": text(f"{eid}.{i}"), "source": "000:1403-1406"}
                  for i in range(1, n_items + 1)],
        **extra,
    }


def good_module():
    bipolar = element("R2", n_items=2, polarity="bipolar",
                      facets=[{"id": "a", "name": text("formal"), "source": "000:2058-2060"},
                              {"id": "b", "name": text("informal"), "source": "000:2061-2072"}])
    bipolar["items"][0]["facet"] = "a"
    bipolar["items"][1]["facet"] = "b"
    bipolar["items"][1]["reverse"] = True
    return {
        "id": "sustainability", "version": 1, "name": text("module"), "intro": text("intro"),
        "source": "000:1387-1389",
        "groups": [
            {"id": "I", "kind": "condition", "name": text("I"), "source": "000:1396-1525",
             "elements": [element("I1"), element("I2", n_items=3)]},
            {"id": "R", "kind": "condition", "name": text("R"), "source": "000:2384-2402",
             "elements": [bipolar]},
            {"id": "D", "kind": "outcome", "name": text("D"), "source": "000:1364-1377",
             "elements": [element("D1", n_items=1)]},
        ],
        "phase": {"text": text("phase"), "help": text("help"), "source": "000:1259-1277",
                  "options": [{"id": p, "label": text(p), "description": text(p), "source": "000:1259-1264"}
                              for p in ("INI", "IMP", "BOR", "DIF")]},
        "open_questions": [{"id": "sustainability.open1", "text": text("open")}],
    }


def load(tmp_path: Path, *modules):
    for i, module in enumerate(modules):
        (tmp_path / f"m{i}.yaml").write_text(yaml.safe_dump(module, allow_unicode=True), encoding="utf-8")
    load_instrument.cache_clear()
    try:
        return load_instrument(tmp_path)
    finally:
        load_instrument.cache_clear()


def test_good_file_loads_with_defaults_applied(tmp_path):
    instrument = load(tmp_path, good_module())
    module = instrument.module("sustainability")
    assert [g.id for g in module.groups] == ["I", "R", "D"]
    items = {item.id: item for item in module.items()}
    assert len(items) == 2 + 3 + 2 + 1
    assert items["R2.2"].reverse is True and items["R2.1"].reverse is False
    assert items["R2.2"].facet == "b"
    assert items["I1.1"].roles == {"teacher", "leader", "support", "other"}
    assert items["I1.1"].module_id == "sustainability" and items["I1.1"].element_id == "I1"
    assert [o.id for o in module.phase.options] == ["INI", "IMP", "BOR", "DIF"]


def mutate(change):
    module = good_module()
    change(module)
    return module


def first_item(m):
    return m["groups"][0]["elements"][0]["items"][0]


BAD = {
    "duplicate item id": (lambda m: first_item(m).update(id="I1.2"), "I1.2", "duplicate id"),
    "missing language": (lambda m: first_item(m)["text"].pop("fr"), "I1.1", "lacks the 'fr' text"),
    "empty language": (lambda m: first_item(m)["text"].update(en="  "), "I1.1", "lacks the 'en' text"),
    "unknown language": (lambda m: first_item(m)["text"].update(de="x"), "I1.1", "unknown language"),
    "seed line outside report": (lambda m: first_item(m).update(source="000:9000-9010"), "I1.1",
                                 "lines outside seed 000"),
    "unknown seed": (lambda m: first_item(m).update(source="007:1-2"), "I1.1", "unknown seed 007"),
    "malformed citation": (lambda m: first_item(m).update(source="page 12"), "I1.1", "not of the form"),
    "reversed range": (lambda m: first_item(m).update(source="000:20-10"), "I1.1", "lines outside"),
    "too wide citation": (lambda m: first_item(m).update(source="000:1-900"), "I1.1", "too wide"),
    "element without items": (lambda m: m["groups"][0]["elements"][0].update(items=[]), "I1",
                              "items must be a non-empty list"),
    "too many items": (lambda m: m["groups"][0]["elements"][0]["items"].extend(
        copy.deepcopy(element("I1", 5)["items"][2:])), "I1", "has 5 items"),
    "single item condition": (lambda m: m["groups"][0]["elements"][0]["items"].pop(), "I1", "has 1 items"),
    "unknown key": (lambda m: first_item(m).update(weight=2), "I1.1", "unknown key(s) weight"),
    "missing key": (lambda m: first_item(m).pop("source"), "I1.1", "missing source"),
    "bad role": (lambda m: first_item(m).update(roles=["pupil"]), "I1.1", "roles must be"),
    "bad polarity": (lambda m: m["groups"][0]["elements"][0].update(polarity="higher"), "I1", "polarity"),
    "bipolar without facets": (lambda m: m["groups"][1]["elements"][0].pop("facets"), "R2",
                               "exactly the facets a and b"),
    "item without facet": (lambda m: m["groups"][1]["elements"][0]["items"][0].pop("facet"), "R2.1",
                           "facet must be one of"),
    "facet without items": (lambda m: m["groups"][1]["elements"][0]["items"][1].update(facet="a"), "R2",
                            "facet 'b' has no items"),
    "item id outside element": (lambda m: first_item(m).update(id="X9.1"), "X9.1", "start with their element"),
    "reverse not boolean": (lambda m: first_item(m).update(reverse="yes"), "I1.1", "reverse must be"),
    "phase options incomplete": (lambda m: m["phase"]["options"].pop(), "phase", "options must be"),
    "bad version": (lambda m: m.update(version="one"), "sustainability", "version"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_names_file_id_and_problem(tmp_path, case):
    change, where, problem = BAD[case]
    with pytest.raises(InstrumentError) as raised:
        load(tmp_path, mutate(change))
    message = str(raised.value)
    assert message.startswith("m0.yaml: "), message
    assert where in message and problem in message, message


def test_invalid_yaml_is_reported_with_file_name(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    load_instrument.cache_clear()
    with pytest.raises(InstrumentError, match=r"^broken.yaml: .*cannot be read as YAML"):
        load_instrument(tmp_path)
    load_instrument.cache_clear()


def test_ids_must_be_unique_across_modules(tmp_path):
    other = good_module()
    other["id"] = "policy"
    other.pop("phase")
    other["open_questions"] = []
    with pytest.raises(InstrumentError, match=r"^m1.yaml: I: id already used in module 'sustainability'"):
        load(tmp_path, good_module(), other)


def test_two_versions_of_a_module_may_share_ids(tmp_path):
    newer = good_module()
    newer["version"] = 2
    newer["groups"][0]["elements"][0]["items"][0]["text"]["en"] = "reworded"
    instrument = load(tmp_path, good_module(), newer)
    assert instrument.module("sustainability").version == 2
    assert instrument.module("sustainability", 1).version == 1


# -- the real item bank -------------------------------------------------------------------------

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_real_instrument_is_valid_and_complete():
    load_instrument.cache_clear()
    instrument = load_instrument()
    sustainability = instrument.module("sustainability")
    policy = instrument.module("policy")
    element_ids = {e.id for e in sustainability.elements()}
    expected = ({f"I{i}" for i in range(1, 4)} | {f"P{i}" for i in range(1, 4)} | {f"S{i}" for i in range(1, 5)}
                | {f"R{i}" for i in range(1, 12)} | {f"L{i}" for i in range(1, 7)} | {f"D{i}" for i in range(1, 8)})
    assert element_ids == expected
    assert {e.id for e in policy.elements()} == {f"BV{i}" for i in range(1, 9)}
    total = len(list(sustainability.items())) + len(list(policy.items()))
    # Both modules fit a phone's 20 minutes (issue 17): at most 80 items, even for a leader.
    assert total <= 80
    assert any(item.reverse for item in sustainability.items())
    for element in sustainability.elements():
        if element.id in {"R2", "R3", "R4", "R5", "R6", "R7"}:
            assert element.polarity == "bipolar", element.id
    assert sustainability.phase is not None


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the research reports are not beside this checkout")
def test_seed_line_counts_match_the_reports():
    for seed, lines in seed_lines().items():
        [path] = SEEDS_DIR.glob(f"{seed}_*.txt")
        assert len(path.read_text(encoding="utf-8").splitlines()) == lines, seed


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the research reports are not beside this checkout")
def test_every_citation_in_the_package_passes_seedref():
    import subprocess
    import sys

    seedref = SEEDS_DIR.parent / "tools" / "seedref"
    package = Path(__file__).resolve().parents[1] / "spiegel"
    result = subprocess.run([sys.executable, str(seedref), "--check", str(package)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert re.search(r"[1-9]\d* seed references, 0 bad", result.stdout), result.stdout


def test_version_1_stays_beside_version_2_and_repairs_have_their_own_ids():
    load_instrument.cache_clear()
    instrument = load_instrument()
    old, new = instrument.module("sustainability", 1), instrument.module("sustainability", 2)
    old_items = {item.id: item for item in old.items()}
    new_items = {item.id: item for item in new.items()}
    assert len(old_items) == 72 and len(list(instrument.module("policy", 1).items())) == 16
    # An item kept in version 2 keeps its wording; a repaired one has a new id.
    for item_id in old_items.keys() & new_items.keys():
        assert old_items[item_id].text["nl"] == new_items[item_id].text["nl"], item_id
    assert {"R3.1", "R3.2", "L5.2", "L6.2", "R10.2", "R4.4", "I3.2", "S4.1", "R8.1", "L4.1", "L4.2",
            "L5.3"}.isdisjoint(new_items)
    # Weak ties are fleeting exchanges (000:2079), not breadth; P2 has a voice in the goals.
    weak = [item for item in new_items.values() if item.element_id == "R3" and item.facet == "a"]
    assert weak and all("buiten" not in item.text["nl"] for item in weak)
    assert any("doelen" in item.text["nl"] for item in new_items.values() if item.element_id == "P2")
    # The board is asked of leaders only: teachers cannot judge it.
    board = [item for item in new_items.values() if "schoolbestuur" in item.text["nl"]]
    assert board and all(item.roles == {"leader"} for item in board)
