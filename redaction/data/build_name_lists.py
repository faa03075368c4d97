"""Rebuild the name and word lists redaction reads (run by hand, never at run time).

    .venv/bin/pip install faker wordfreq english-words
    .venv/bin/python -m redaction.data.build_name_lists

Writes, next to this file:

* ``given_names.txt`` and ``surnames.txt``: every Latin-script given name (first and
  middle names) and family name of every locale of Faker's person provider (MIT licence,
  joke2k/faker), lower-cased, with accent-free twins ("łukasz" and "lukasz"). Faker's
  lists come from public name statistics of each country and cover British, Irish,
  Polish, Romanian, Baltic, South Asian, West and East African, Arabic (romanised),
  Turkish, Persian, Chinese (romanised), Vietnamese and many more name traditions.
* ``common_words.txt``: English words in ordinary use: headwords of GCIDE (GNU
  Collaborative International Dictionary of English, GPL, via the english-words package,
  MIT) with a wordfreq Zipf frequency of at least ``DICTIONARY_ZIPF``, and words of
  wordfreq's 50,000 most frequent English words (wordfreq, Apache-2.0; its frequency data
  CC BY-SA 4.0) that are in no name list, with a Zipf frequency of at least
  ``COMMON_ZIPF``. A name that is also such a word ("Will", "Hope", "Grace", "Said") is
  decided by context, never by the list.
* ``english_words.txt``: every headword of GCIDE, common or rare ("jaundiced",
  "remorseful"); with the common words and simple endings ("smugglers") it tells a
  lower-case name from a rare word.

See ``NOTICE.md`` for the licences. Nothing in these files comes from any evaluation set.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMON_ZIPF = 3.3
#: Dictionary words rarer than this are taken for names when a name list has them.
DICTIONARY_ZIPF = 3.0
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


def common_words(names: set[str]) -> set[str]:
    from english_words import get_english_words_set
    from wordfreq import top_n_list, zipf_frequency

    # GCIDE is a dictionary of English words (it holds few personal names, unlike
    # Webster's word list, which holds "alison" and "malik").
    dictionary = {w.lower() for w in get_english_words_set(["gcide"], alpha=True)}
    frequent = {w for w in top_n_list("en", 50000) if w.isalpha() and w not in names}
    return {w for w in dictionary if zipf_frequency(w, "en") >= DICTIONARY_ZIPF} | {
        w for w in frequent if zipf_frequency(w, "en") >= COMMON_ZIPF
    }


def english_words() -> set[str]:
    """Every English headword of GCIDE, however rare. (wordfreq's lists are left out
    here: they hold surnames no name list has, such as "armitage".)"""
    from english_words import get_english_words_set

    return {w.lower() for w in get_english_words_set(["gcide"], alpha=True)}


def _write(name: str, words: set[str], header: str) -> None:
    body = "\n".join(sorted(words))
    (HERE / name).write_text(f"# {header}\n{body}\n", encoding="utf-8")


def main() -> None:
    given, family = faker_names()
    given |= {fold(w) for w in given}
    family |= {fold(w) for w in family}
    common = common_words(given | family)
    _write(
        "given_names.txt", given, "Given names from Faker's person providers (MIT); see NOTICE.md"
    )
    _write(
        "surnames.txt", family, "Family names from Faker's person providers (MIT); see NOTICE.md"
    )
    _write(
        "common_words.txt",
        common,
        "Ordinary English words (GCIDE and wordfreq); see NOTICE.md",
    )
    english = english_words()
    _write(
        "english_words.txt",
        english,
        "English words, common or rare (GCIDE headwords); see NOTICE.md",
    )
    print(
        f"given {len(given)}, surnames {len(family)}, common words {len(common)}, "
        f"English words {len(english)}"
    )


if __name__ == "__main__":
    main()
