import pytest

from spiegel.shared.hashing import digest
from spiegel.survey import codes


def test_team_codes_use_only_unambiguous_characters_and_differ():
    drawn = {codes.new_team_code() for _ in range(2000)}
    assert len(drawn) == 2000  # 31**7 possibilities: a repeat here would mean a broken generator
    for code in drawn:
        assert len(code) == codes.TEAM_CODE_LENGTH
        assert not set(code) & set("01IOL")


def test_alphabet_has_no_confusable_characters():
    assert not set(codes.ALPHABET) & set("01ILO")
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 31


@pytest.mark.parametrize("typed, expected", [
    ("abc2345", "ABC2345"),
    (" AbC 2345 ", "ABC2345"),
    ("abc-2345", "ABC2345"),
    ("ABC234", None),        # too short
    ("ABC23456", None),      # too long
    ("ABC2O45", None),       # O is not in the alphabet
    ("", None),
    (None, None),
    ("ABC<45>", None),
])
def test_normalize_team_code(typed, expected):
    assert codes.normalize_team_code(typed) == expected


def test_resume_code_round_trip_through_display_form():
    code = codes.new_resume_code()
    shown = codes.display_resume_code(code)
    assert shown[4] == "-" and len(shown) == 9
    assert codes.normalize_resume_code(shown.lower()) == code


def test_digest_is_stable_and_hides_the_secret():
    assert digest("ABCD2345") == digest("ABCD2345")
    assert digest("ABCD2345") != digest("ABCD2346")
    assert "ABCD2345" not in digest("ABCD2345")
