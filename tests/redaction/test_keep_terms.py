"""The keep list: practice terms, services, kinship and role words that no recogniser
may replace (redaction/keep.py, redaction/data/keep_terms.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.keep import KeepList, KeepListError, default_keep_list


@pytest.fixture(scope="module")
def keep() -> KeepList:
    return default_keep_list()


def _kept(keep: KeepList, text: str) -> list[str]:
    return [text[s:e] for s, e in keep.ranges(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Referred to Early Help via the Front Door", ["Early Help", "Front Door"]),
        ("Mum went to citizens advice", ["citizens advice"]),
        ("Womens Aid and Women's Aid", ["Womens Aid", "Women's Aid"]),
        ("referred to Barnados", ["Barnados"]),  # one edit from Barnardo's
        ("the Turning Pont appointment", ["Turning Pont"]),
        ("stays with Khala and Nani at weekends", ["Khala", "Nani"]),
        ("interpreter for Sylheti booked", ["Sylheti"]),
        ("seen on Teusday", ["Teusday"]),
        ("CIN plan and s47 enquiry", ["CIN", "s47"]),  # from the practice glossary
        ("SAYS HE TOOK DIAZEPAM AND SPICE", ["DIAZEPAM", "SPICE"]),
    ],
)
def test_keep_phrases_are_found(keep: KeepList, text: str, expected: list[str]) -> None:
    assert set(expected) <= set(_kept(keep, text))


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Kathryn Mills attended", "Kathryn"),
        ("da said no", "da"),  # glossary case rule: DA, not "da"
        ("seen in May by the nurse", "May"),  # months that are names are left to context
        ("Aunty Mindy came", "Mindy"),  # not one edit from "Mind" (short words are exact)
        ("Concetta is on Concerta", "Concetta"),  # medicines are matched exactly
    ],
)
def test_names_and_lower_case_abbreviations_are_not_kept(
    keep: KeepList, text: str, absent: str
) -> None:
    assert absent not in _kept(keep, text)


def test_malformed_keep_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "keep.yaml"
    bad.write_text("version: 1\nservices: [Early Help]\nnames: [Someone]\n", encoding="utf-8")
    with pytest.raises(KeepListError, match="unknown sections"):
        KeepList.load(bad)
    bad.write_text("version: 1\nservices: Early Help\n", encoding="utf-8")
    with pytest.raises(KeepListError, match="services"):
        KeepList.load(bad)


def test_keep_file_has_no_entry_that_is_a_clear_name() -> None:
    """Kinship and service words must not swallow given names ("Abu", "Hala", "Anne")."""
    from redaction.name_lists import default_name_lists

    lists = default_name_lists()
    keep = default_keep_list()
    clash = sorted(w for w in keep.words_of("kinship") if lists.is_clear_given(w) and len(w) > 3)
    # Reviewed: kinship words that are also given names somewhere and are kept on
    # purpose, because in notes they are the kinship word far more often.
    reviewed = {
        "abba",
        "abbu",
        "amma",
        "ammi",
        "ammu",
        "anneanne",
        "appa",
        "appi",
        "babu",
        "bapu",
        "bhai",
        "bibi",
        "dada",
        "dadi",
        "deda",
        "didi",
        "granda",
        "iyami",
        "khala",
        "khalu",
        "mama",
        "mami",
        "mamu",
        "masi",
        "nana",
        "nani",
        "nanu",
        "papa",
        "popo",
        "sitti",
        "taid",
        "tata",
        "teta",
        "yaya",
        "baba",
        "bobo",
        "kaka",
        "mamgu",
        "nain",
        "nanna",
        "maame",
        "mausi",
        "mausa",
        "phupha",
        "chacha",
        "chachi",
        "chachu",
        "tayi",
        "taya",
        # Given names in nomquamgender's tables too (reviewed 2026-12-04).
        "eedo",
        "kako",
        "tato",
        "tete",
        "yaba",
    }
    assert [w for w in clash if w not in reviewed] == []


@pytest.mark.parametrize(
    ("word", "shaped"),
    [
        ("Haoran", True),  # pinyin syllables
        ("yuxuan", True),
        ("Manpreet", True),  # a Punjabi compound
        ("change", False),  # English words are never name-shaped
        ("nite", False),  # too short to tell from slang
        ("Bandit", False),
    ],
)
def test_name_shapes(word: str, shaped: bool) -> None:
    from redaction.name_lists import default_name_lists

    assert default_name_lists().has_name_shape(word) is shaped
