"""Given names, family names and ordinary English words, for deciding what is a name.

The lists are data files built from maintained packages (``redaction/data/
build_name_lists.py``; licences in ``redaction/data/NOTICE.md``): Faker's person names of
every Latin-script locale, and English words in ordinary use. They are looked up by
``fold``: lower case without accents, so "ŁUKASZ", "Lukasz" and "łukasz" are one name.

A word in both a name list and the ordinary words ("Will", "Hope", "Grace", "Said") is a
*word-name*: only context makes it a name (``redaction.recognizers.name_list``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Verbs only a person does, straight after a word: evidence enough for a word that only
#: some name tables hold ("Bile vomited", "Nawroz asked"), unlike "was" or "came".
SPEAKER_VERBS: frozenset[str] = frozenset(
    [
        "said",
        "says",
        "told",
        "tells",
        "asked",
        "asks",
        "explained",
        "explains",
        "disclosed",
        "discloses",
        "reported",
        "refused",
        "refuses",
        "agreed",
        "denied",
        "admitted",
        "cried",
        "shouted",
        "screamed",
        "laughed",
        "answered",
        "replied",
        "vomited",
        "whispered",
        "insisted",
        "complained",
    ]
)
#: Regular English endings and what the stem ends with ("cried" -> "cry").
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("s", ""),
    ("es", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ied", "y"),
    ("ies", "y"),
    ("er", ""),
    ("ers", ""),
    ("ly", ""),
    ("ness", ""),
    ("ful", ""),
)
_SYLLABLE = (
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhrzcsyw])"
    r"(?:iang|iong|uang|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ui|a|o|e|i|u)"
    r"|[jqx](?:iang|iong|iao|ian|ing|uan|ia|ie|iu|in|ue|un|i|u)"
    r"|(?:ang|eng|ai|ao|ou|an|en|er|a|o|e))"
)
#: Two or three pinyin syllables written as one word.
_PINYIN_NAME = re.compile(f"{_SYLLABLE}{{2,3}}")
#: Punjabi (Sikh) given names: a first part and a second part from a small set.
_PUNJABI_NAME = re.compile(
    r"(?:gur|har|man|jas|sim|nav|kul|bal|par|jag|sukh|hardeep|aman|tej|raj|dal|sat|kir"
    r"|bhu|lakh|prab|dil|gag|ek|in|ar|jot)"
    r"(?:preet|deep|jeet|jit|inder|want|meet|veer|vir|jot|leen|neet|bir|pal|dev|noor|ran)"
)
#: Deletion variants of the common words, per loaded lists (built on first use).
_TYPO_INDEX: dict[int, frozenset[str]] = {}
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "s", "’": "'", "ı": "i"})


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower case without accents or a possessive ("Łukasz's" -> "lukasz").

    Remembered: a note repeats most of its words, and every name-list lookup folds."""
    return _fold(word)


def _fold(word: str) -> str:
    word = word.lower()
    if word.isascii():
        if word.endswith("'s"):
            return word[:-2]
        return word[:-1] if word.endswith("'") else word
    word = word.translate(_FOLD)
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_fold(line))
    return frozenset(words)


@dataclass(frozen=True)
class NameLists:
    given: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]
    #: Every English word known, common or rare (``english_words.txt``).
    english: frozenset[str] = frozenset()
    #: English words fewer name tables hold (``name_words.txt``): a name only when a
    #: speaker's verb follows ("Bile vomited").
    name_words: frozenset[str] = frozenset()

    def is_given(self, word: str) -> bool:
        return fold(word) in self.given

    def is_name(self, word: str) -> bool:
        key = fold(word)
        return key in self.given or key in self.surnames

    def is_common(self, word: str) -> bool:
        return fold(word) in self.common

    def is_english(self, word: str) -> bool:
        """An English word, however rare, or one with a regular ending ("smugglers",
        "cutting"), so a lower-case one is not a name by itself."""
        key = fold(word)
        if key in self.english or key in self.common:
            return True
        for ending, stem_end in _ENDINGS:
            shortest = 4 if ending in ("ed", "ing") else 3  # "guled" is no "gul" + "ed"
            if key.endswith(ending) and len(key) - len(ending) >= shortest:
                stem = key[: len(key) - len(ending)] + stem_end
                if stem in self.english or stem in self.common:
                    return True
        return False

    def is_misspelt_word(self, word: str) -> bool:
        """One edit (a letter added, dropped, changed or two swapped) from a common word
        of six letters or more ("appointmnets", "reffered"); two letters swapped in a
        shorter one ("teh")."""
        key = fold(word)
        if len(key) < 6:
            # Short words: only two letters swapped ("teh", "adn", "taht").
            swaps = (key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1))
            return any(w != key and w in self.common for w in swaps)
        variants = {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}
        index = self._typo_index()
        return any(v in index for v in variants)

    def is_misspelt_given(self, word: str) -> bool:
        """Not an English word, and a given name of five letters or more with one letter
        doubled, added or two letters swapped ("Chiommaa", "Mohammmed", "Fatmia")."""
        key = fold(word)
        if len(key) < 6 or key in self.given or self.is_english(key):
            return False
        variants = {key[:i] + key[i + 1 :] for i in range(len(key))}
        variants.update(key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1))
        return any(v in self.given and v not in self.common for v in variants)

    def prepare(self) -> None:
        """Build now what the first lookups would otherwise build (the misspelling index,
        about half a second)."""
        self._typo_index()

    def _typo_index(self) -> frozenset[str]:
        cached = _TYPO_INDEX.get(id(self))
        if cached is None:
            cached = frozenset(
                variant
                for w in self.common
                if len(w) >= 6
                for variant in (w, *(w[:i] + w[i + 1 :] for i in range(len(w))))
            )
            _TYPO_INDEX[id(self)] = cached
        return cached

    def has_name_shape(self, word: str) -> bool:
        """Not an English word, and built the way many given names are: two or three
        Mandarin (pinyin) syllables ("Jiahui", "Zihan") or a Punjabi compound ("Gurdeep",
        "Manpreet"). Name lists cannot hold every such name."""
        key = fold(word)
        if not 5 <= len(key) <= 10 or self.is_english(key) or key in self.common:
            return False  # shorter ones are too often slang or typos ("nite")
        return bool(_PINYIN_NAME.fullmatch(key) or _PUNJABI_NAME.fullmatch(key))

    def is_word_name(self, word: str) -> bool:
        """A name that is also an ordinary word: decided by context."""
        key = fold(word)
        return key in self.common and (key in self.given or key in self.surnames)

    def may_be_name(self, word: str) -> bool:
        """In a name list, or an English word that some name tables hold."""
        key = fold(word)
        return key in self.given or key in self.surnames or key in self.name_words

    def is_clear_name(self, word: str) -> bool:
        """In a name list and not an ordinary word; a double-barrelled one ("Keeley-Ann",
        "Smith-Okafor") when every part is a name and one part is not a word."""
        key = fold(word)
        if "-" in key:
            return self._hyphenated(key, given_only=False)
        return key not in self.common and (key in self.given or key in self.surnames)

    def is_clear_given(self, word: str) -> bool:
        key = fold(word)
        if "-" in key:
            return self._hyphenated(key, given_only=True)
        return key in self.given and key not in self.common

    def _hyphenated(self, key: str, *, given_only: bool) -> bool:
        parts = key.split("-")
        if len(parts) > 3 or any(len(p) < 2 for p in parts):
            return False

        def named(part: str) -> bool:
            return part in self.given or (not given_only and part in self.surnames)

        return all(p in self.given or p in self.surnames for p in parts) and any(
            p not in self.common and named(p) for p in parts
        )

    @classmethod
    def load(cls, folder: Path = DATA_DIR) -> NameLists:
        folder = Path(folder)
        return cls(
            given=_read(folder / "given_names.txt"),
            surnames=_read(folder / "surnames.txt"),
            common=_read(folder / "common_words.txt"),
            english=_read(folder / "english_words.txt"),
            name_words=_read(folder / "name_words.txt"),
        )


@lru_cache(maxsize=1)
def default_name_lists() -> NameLists:
    """The packaged lists (read once per process)."""
    return NameLists.load()
