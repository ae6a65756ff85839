"""Every interface string is translated in nl, en and fr: no missing, fuzzy, stale or uncompiled entry."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LANGS = ["nl", "en", "fr"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set:
    method_map = [("spiegel/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trimmed": "true", "extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map=options, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.fixture(scope="module")
def extracted():
    messages = source_messages()
    assert len(messages) > 50  # the extraction itself works
    return messages


def catalog(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_every_source_string_translated(extracted, lang):
    entries = {key(m): m for m in catalog(lang) if m.id}
    missing = sorted(map(str, extracted - entries.keys()))
    stale = sorted(map(str, entries.keys() - extracted))
    fuzzy = sorted(str(k) for k, m in entries.items() if m.fuzzy)
    empty = sorted(str(k) for k, m in entries.items()
                   if not (all(m.string) if isinstance(m.string, (list, tuple)) else m.string))
    assert not missing, f"{lang}: missing {missing}"
    assert not stale, f"{lang}: stale {stale}"
    assert not fuzzy, f"{lang}: fuzzy {fuzzy}"
    assert not empty, f"{lang}: untranslated {empty}"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po_file(lang):
    po = {key(m): m.string for m in catalog(lang) if m.id}
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        # read_mo gives plural forms as a list, read_po as a tuple
        mo = {key(m): tuple(m.string) if isinstance(m.string, list) else m.string for m in read_mo(f) if m.id}
    assert mo == po, f"{lang}: run `make translations-compile`"


def test_placeholders_survive_translation():
    import re

    for lang in LANGS:
        for message in catalog(lang):
            if not message.id or not isinstance(message.id, str):
                continue
            wanted = set(re.findall(r"%\((\w+)\)s", message.id))
            got = set(re.findall(r"%\((\w+)\)s", message.string))
            assert wanted == got, (lang, message.id, message.string)
