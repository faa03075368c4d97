"""Rebuild the name and word lists redaction reads (run by hand, never at run time).

    .venv/bin/pip install faker nomquamgender==0.1.4
    apt-get install scowl          # the SCOWL word lists, in /usr/share/dict/scowl
    .venv/bin/python -m redaction.data.build_name_lists [--scowl DIR]

Writes, next to this file:

* ``given_names.txt`` and ``surnames.txt``: every Latin-script given name (first and
  middle names) and family name of every locale of Faker's person provider (MIT licence,
  joke2k/faker), lower-cased, with accent-free twins ("łukasz" and "lukasz"). Faker's
  lists come from public name statistics of each country and cover British, Irish,
  Polish, Romanian, Baltic, South Asian, West and East African, Arabic (romanised),
  Turkish, Persian, Chinese (romanised), Vietnamese and many more name traditions.
  Faker holds a few dozen names per locale, so ``given_names.txt`` also takes the given
  names of nomquamgender (MIT licence, Ian Van Buskirk; given names with how many of its
  36 published name tables hold each, world-wide): those at least ``NQG_SOURCES`` tables
  hold, and an English word ("Favour", "Gift") only when at least ``NQG_WORD_SOURCES``
  tables hold it ``NQG_WORD_COUNT`` times and it is not a function word. Only the
  name itself is kept (no counts, no gender).
* ``name_words.txt``: English words fewer name tables hold ("Bile", "Court"): a name
  only with a speaker's verb straight after it (``redaction.recognizers.name_list``).
* ``common_words.txt``: English words in ordinary use: SCOWL (Spell Checker Oriented Word
  Lists, Kevin Atkinson; permissive licence, see ``SCOWL-COPYRIGHT``) English, British and
  American words up to size ``COMMON_SIZE`` written in lower case (SCOWL's sizes are
  commonness classes: 35 is a small dictionary's worth), and the capitalised words that
  are not names up to size ``UPPER_SIZE`` ("Arabic", "Asian", "Jan"). SCOWL keeps proper
  names in files of their own, so a name is an ordinary word here only when it is also
  written in lower case ("will", "hope", "grace"): such a word-name is decided by
  context, never by the list.
* ``english_words.txt``: every SCOWL word up to size ``ENGLISH_SIZE``, common or rare
  ("jaundiced", "remorseful"); with the common words and simple endings ("smugglers") it
  tells a lower-case name from a rare word.

See ``NOTICE.md`` for the licences. Nothing in these files comes from any evaluation set.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Where Debian's ``scowl`` package puts the SCOWL lists.
SCOWL_DIR = Path("/usr/share/dict/scowl")
#: SCOWL sizes: lower-case words up to ``COMMON_SIZE`` are ordinary words, capitalised
#: non-name words up to ``UPPER_SIZE`` too; words up to ``ENGLISH_SIZE`` are English
#: however rare (80 and above hold rare words that are also given names, "tash").
COMMON_SIZE = 40
UPPER_SIZE = 40
ENGLISH_SIZE = 70
#: nomquamgender: a given name that is not an English word is taken when this many of its
#: name tables hold it this many times in all (fewer is mostly typing noise) ...
NQG_SOURCES = 5
NQG_COUNT = 20
#: ... and one that is also an English word only when it is this widespread.
NQG_WORD_SOURCES = 10
NQG_WORD_COUNT = 300
#: ... and at least this long ("Gift", not "Day", "Sun", "Won").
NQG_WORD_LENGTH = 4
#: English words held by ``NQG_SOURCES`` tables this many times go to ``name_words.txt``:
#: a name only when the sentence says so ("Bile vomited", not "bile").
NAME_WORD_COUNT = 40
#: English words that are never names here, however often name tables hold them.
FUNCTION_WORDS_SOURCE = "spacy.lang.en.stop_words"
#: SCOWL's spellings: international, British and American.
SCOWL_SPELLINGS = ("english", "british", "american")
#: Letters outside Latin-1/Latin Extended-A/B and Vietnamese are left out (other scripts
#: are matched by nothing in an English note).
_EXTRA_LATIN = set("ŁłĐđƠơƯư")


def _latin(word: str) -> bool:
    for ch in word:
        if ch.isalpha() and not (
            ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF or ch in _EXTRA_LATIN
        ):
            return False
    return True


def fold(word: str) -> str:
    """Lower case without accents ("Łukasz" -> "lukasz", "Nguyễn" -> "nguyen")."""
    word = word.lower().replace("ł", "l").replace("đ", "d").replace("ø", "o").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(value: str) -> list[str]:
    out = []
    for part in value.replace("-", " ").replace("’", "'").split():
        part = part.strip(".,'")
        if sum(c.isalpha() for c in part) >= 2 and _latin(part) and part[:1].isalpha():
            out.append(part.lower())
    return out


def faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as people

    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        for attr, value in vars(provider).items():
            if not isinstance(value, (tuple, list, dict, set)) or "name" not in attr:
                continue
            if "language" in attr or "prefix" in attr or "suffix" in attr or "pairs" in attr:
                continue
            if "kana" in attr:
                continue
            target = family if "last" in attr else given
            for item in value:
                if isinstance(item, str):
                    target.update(_tokens(item))
    return given, family


def nqg_names(english: set[str]) -> tuple[set[str], set[str]]:
    """Given names of nomquamgender's data, folded, filtered as ``NQG_*`` say, and the
    wider set of English words that some name tables hold (``NAME_WORD_*``)."""
    import json
    from importlib.resources import files

    stop_words = importlib.import_module(FUNCTION_WORDS_SOURCE).STOP_WORDS
    data = json.loads(files("nomquamgender").joinpath("name_data.json").read_text("utf-8"))
    sources: dict[str, int] = {}
    counts: dict[str, int] = {}
    for raw, row in data.items():
        for word in _tokens(raw):
            key = fold(word)
            if not key.isalpha() or len(key) < 3 or not set(key) & set("aeiouy"):
                continue
            sources[key] = max(sources.get(key, 0), int(row[0]))
            counts[key] = counts.get(key, 0) + int(row[1])
    out: set[str] = set()
    name_words: set[str] = set()
    for key, held in sources.items():
        if key in english:
            if key in stop_words or len(key) < NQG_WORD_LENGTH:
                continue
            if held >= NQG_WORD_SOURCES and counts[key] >= NQG_WORD_COUNT:
                out.add(key)
            elif held >= NQG_SOURCES and counts[key] >= NAME_WORD_COUNT:
                name_words.add(key)
        elif held >= NQG_SOURCES and counts[key] >= NQG_COUNT:
            out.add(key)
    return out, name_words


def scowl_words(folder: Path, kind: str, largest: int) -> set[str]:
    """SCOWL's ``kind`` lists ("words": lower-case words, "upper": capitalised words that
    are not names) of every spelling up to size ``largest``, folded."""
    found: set[str] = set()
    for spelling in SCOWL_SPELLINGS:
        for path in folder.glob(f"{spelling}-{kind}.*"):
            if int(path.suffix[1:]) > largest:
                continue
            for line in path.read_text(encoding="latin-1").splitlines():
                word = line.strip()
                if not word or "'" in word or (kind == "words" and not word[:1].islower()):
                    continue
                found.add(fold(word))
    return found


def common_words(folder: Path) -> set[str]:
    return scowl_words(folder, "words", COMMON_SIZE) | scowl_words(folder, "upper", UPPER_SIZE)


def english_words(folder: Path) -> set[str]:
    """Every English word up to ``ENGLISH_SIZE``, however rare."""
    return scowl_words(folder, "words", ENGLISH_SIZE) | scowl_words(folder, "upper", UPPER_SIZE)


def _write(name: str, words: set[str], header: str) -> None:
    body = "\n".join(sorted(words))
    (HERE / name).write_text(f"# {header}\n{body}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scowl", type=Path, default=SCOWL_DIR, help="SCOWL's final/ folder")
    args = parser.parse_args(argv)
    if not any(args.scowl.glob("english-words.*")):
        raise SystemExit(f"{args.scowl}: no SCOWL lists (apt-get install scowl)")
    given, family = faker_names()
    given |= {fold(w) for w in given}
    family |= {fold(w) for w in family}
    common = common_words(args.scowl)
    english = english_words(args.scowl)
    more_given, name_words = nqg_names(english | common)
    given |= more_given
    name_words -= given | family
    _write(
        "given_names.txt",
        given,
        "Given names from Faker's person providers and nomquamgender (MIT); see NOTICE.md",
    )
    _write(
        "surnames.txt", family, "Family names from Faker's person providers (MIT); see NOTICE.md"
    )
    _write(
        "name_words.txt",
        name_words,
        "English words that nomquamgender's name tables hold (MIT); see NOTICE.md",
    )
    _write(
        "common_words.txt",
        common,
        f"Ordinary English words (SCOWL sizes up to {COMMON_SIZE}); see NOTICE.md",
    )
    _write(
        "english_words.txt",
        english,
        f"English words, common or rare (SCOWL sizes up to {ENGLISH_SIZE}); see NOTICE.md",
    )
    print(
        f"given {len(given)}, surnames {len(family)}, name words {len(name_words)}, "
        f"common words {len(common)}, "
        f"English words {len(english)}"
    )


if __name__ == "__main__":
    main()
