"""Rebuild the name and word lists redaction reads (run by hand, never at run time).

    .venv/bin/pip install faker
    apt-get install scowl          # the SCOWL word lists, in /usr/share/dict/scowl
    .venv/bin/python -m redaction.data.build_name_lists [--scowl DIR]

Writes, next to this file:

* ``given_names.txt`` and ``surnames.txt``: every Latin-script given name (first and
  middle names) and family name of every locale of Faker's person provider (MIT licence,
  joke2k/faker), lower-cased, with accent-free twins ("łukasz" and "lukasz"). Faker's
  lists come from public name statistics of each country and cover British, Irish,
  Polish, Romanian, Baltic, South Asian, West and East African, Arabic (romanised),
  Turkish, Persian, Chinese (romanised), Vietnamese and many more name traditions.
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
    _write(
        "given_names.txt", given, "Given names from Faker's person providers (MIT); see NOTICE.md"
    )
    _write(
        "surnames.txt", family, "Family names from Faker's person providers (MIT); see NOTICE.md"
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
        f"given {len(given)}, surnames {len(family)}, common words {len(common)}, "
        f"English words {len(english)}"
    )


if __name__ == "__main__":
    main()
