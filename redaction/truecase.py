"""A case-normalised copy of a note, so that capitals stop deciding what a name is.

Police and system notifications are written in capitals ("VICTIM KERRIE DALTON") and
hurried notes in lower case ("spoke to gurinder"); the spaCy model and every
capital-letter pattern are blind in both. ``case_shadow(text)`` returns a copy of the
text of exactly the same length (offsets map one to one) written the way a careful note
would be, or ``None`` when nothing needs changing:

* in a passage written mostly in capitals, practice terms and other abbreviations
  (``redaction.keep``) and tokens with digits stay as they are; names from the name
  lists and words that are not ordinary English get an initial capital; ordinary words
  are lower-cased, except street, school and surgery words and the words before them
  after a house number ("27 BIRCH WALK" -> "27 Birch Walk");
* in any passage, a lower-case word that is a given name and not an ordinary word gets
  a capital ("reggie" -> "Reggie"), and so does the surname or unknown word after it; a
  lower-case house number and street ("38 aspen street") and a lower-case school
  ("hillcrest infants") are capitalised; a lower-case unknown word followed by a verb of
  people at the start of a sentence ("naz rang") too, and so is a setting named like a
  house after "at", "to", "attends" ("at corvedale grange", ``named_setting``); in
  capitals, a building noun after an unknown word ("CORVEDALE GRANGE").

The detector analyses the copy beside the original (``redaction.detect``).
"""

from __future__ import annotations

from collections.abc import Callable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.keep import KeepList
from redaction.name_lists import SPEAKER_VERBS, NameLists, fold
from redaction.name_spans import LEADING_WORDS
from redaction.recognizers._common import char_before, words
from redaction.recognizers.name_list import (
    CONTACT_VERBS,
    DETERMINERS,
    INFORMAL_WORDS,
    PERSON_CUES,
    PERSON_VERBS,
    PRONOUNS,
    described_in_brackets,
    past_tense,
)
from redaction.recognizers.named_setting import SETTING_CUES, SETTING_LABELS, SETTING_NOUNS
from redaction.recognizers.street_address import QUANTITY_WORDS, STREET_TYPES

#: Share of a passage's words written in capitals that makes it an all-capitals passage.
UPPER_SHARE = 0.6
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*")
#: A sentence or line; the full stop of an initial ("R. Hussey") or inside a token
#: ("d.o.b", "07.11.2013") does not end one.
_PASSAGE = regex.compile(r"(?:[^\n.!?]|(?<=(?<![\w.])\p{L})\.|\.(?=\S))+[.!?]*")
#: An e-mail or web address (left as written).
_ADDRESS = regex.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+")
_PLACE_WORDS = frozenset(
    w.lower()
    for w in (
        *STREET_TYPES,
        *words(
            """
            School Academy College Primary Infants Juniors Nursery Surgery Practice House
            Cottages Court Lodge Estate Flat
            """
        ),
    )
)
_STOPWORDS = frozenset(
    words(
        """
        a an the and or but of to in on at by for from with as is was are were be been it
        its he she they we i you his her their our my your this that these those not no
        into onto over under after before while when then than so if up out off
        """
    )
)
#: Family and role words a name follows ("mum ayesha", "step-dad obina").
PERSON_CUE_WORDS = (LEADING_WORDS | PERSON_CUES) - {"named", "key", "lead", "head"}
#: Words after which a lower-case word is a word, however name-like ("the monie").
_BEFORE_WORDS = DETERMINERS - frozenset(words("that this these those"))
#: Verbs too common after ordinary words to show a person ("x is", "x has").
_AUXILIARIES = frozenset(
    words("is was has had have does did will would can could should must may might")
)
#: Verbs after which a person is often the subject of the next clause.
_SPEECH_VERBS = frozenset(words("says said told tells asked asks thinks feels reports reported"))
_SCHOOL_TAILS = frozenset(
    words("primary infants infant juniors junior academy school college high")
)
#: Last words of a lower-case street or school name ("38 aspen street", "hillcrest infants").
_PLACE_TAILS = (_PLACE_WORDS | _SCHOOL_TAILS) - {"house", "flat", "court", "estate", "practice"}


def _word_name_in_lower_case(
    words: list[regex.Match[str]], i: int, text: str, start: int, keep: KeepList
) -> bool:
    key = fold(words[i].group())
    if key in PERSON_VERBS or key in STOP_WORDS:  # "mum said", "dad will", "neighbour over"
        return False
    prev = fold(words[i - 1].group()) if i > 0 else ""
    nxt = fold(words[i + 1].group()) if i + 1 < len(words) else ""
    before = char_before(text, start)
    sentence_start = not before or before in ".!?:;\n"
    if prev in PERSON_CUES or prev in keep.words_of("kinship"):
        # "sister joy", not "dad's side" or "visitor visa"
        return text[start - 1 : start] == " " and not words[i - 1].group().endswith(("'s", "’s"))
    return sentence_start and nxt in SPEAKER_VERBS


def _mostly_capitals(text: str) -> bool:
    """A text of at least six words, most of them written in capitals."""
    alpha = [w for w in _WORD.findall(text) if sum(c.isalpha() for c in w) >= 2]
    return len(alpha) >= 6 and sum(w.isupper() for w in alpha) >= UPPER_SHARE * len(alpha)


def _written_capitalised(text: str, word: str) -> bool:
    """``word`` also written with a capital elsewhere in ``text`` ("Bonnie ... 'bonnie'"):
    a writer who capitalises the name wrote this lower-case one as a word."""
    title = _title(word)
    if title == word:
        return False
    return regex.search(r"(?<![\w'’-])" + regex.escape(title) + r"(?![\w'’-])", text) is not None


def _title(word: str) -> str:
    out = []
    capital = True
    for i, ch in enumerate(word):
        changed = ch.upper() if capital else ch.lower()
        out.append(changed if len(changed) == 1 else ch)
        # A capital after a hyphen, or after "O'" / "D'", not in a possessive "'s".
        capital = ch == "-" or (ch in "'’" and i == 1)
    return "".join(out)


def _lower(word: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)


def case_shadow(text: str, lists: NameLists, keep: KeepList) -> str | None:
    """The case-normalised copy of ``text`` (same length), or ``None`` if it is the same."""
    # E-mail addresses and web addresses are found whatever their case; a name inside
    # one ("ian.ellison@...") needs no capital, and changing it would make a second
    # analysis for nothing.
    kept = [*keep.ranges(text), *((m.start(), m.end()) for m in _ADDRESS.finditer(text))]

    def is_kept(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in kept)

    chars = list(text)

    def put(start: int, value: str) -> None:
        chars[start : start + len(value)] = list(value)

    # A short sentence of a note written in capitals is in capitals too ("... NO INJURIES.
    # AMELIA CHATTY."), however few its words.
    shouted = _mostly_capitals(text)
    for passage in _PASSAGE.finditer(text):
        words = list(_WORD.finditer(passage.group()))
        offset = passage.start()
        alpha = [w for w in words if sum(c.isalpha() for c in w.group()) >= 2]
        capitals = [w for w in alpha if w.group().isupper()]
        if (len(alpha) >= 3 or (shouted and alpha)) and len(capitals) >= UPPER_SHARE * len(alpha):
            _upper_passage(words, offset, lists, is_kept, put)
        _lower_words(words, offset, text, lists, keep, is_kept, put, chars)
    shadow = "".join(chars)
    return None if shadow == text else shadow


def _upper_passage(
    words: list[regex.Match[str]],
    offset: int,
    lists: NameLists,
    is_kept: Callable[[int, int], bool],
    put: Callable[[int, str], None],
) -> None:
    decided: list[str] = []
    for m in words:
        word = m.group()
        start = offset + m.start()
        if (
            not word.isupper()
            or len(word) == 1  # an initial ("R. HUSSEY")
            or is_kept(start, start + len(word))
            or any(c.isdigit() for c in word)
        ):
            decided.append("keep")
            continue
        key = fold(word)
        if key in _STOPWORDS:
            decided.append("lower")
        elif lists.is_clear_name(key) or not lists.is_english(key) or key in _PLACE_WORDS:
            decided.append("title")
        else:
            decided.append("lower")
    # A name that is also a word ("BAILEY", "MALIK") next to a clear name is a name; across
    # a comma only as "SURNAME, GIVEN" ("WARD, JOHN", "DOYLE, GRACE"), not "DOYLE, WHITE VAN".
    for i, m in enumerate(words):
        if decided[i] == "lower" and lists.is_word_name(fold(m.group())):
            near = [
                j
                for j in (i - 1, i + 1)
                if 0 <= j < len(words)
                and decided[j] == "title"
                and (_joined(words, min(i, j)) or lists.is_given(fold(words[max(i, j)].group())))
            ]
            if any(lists.is_clear_name(fold(words[j].group())) for j in near):
                decided[i] = "title"
    # A short word that is not an ordinary one between two names is a name too ("LAM,
    # SIU MING").
    for i in range(1, len(words) - 1):
        key = fold(words[i].group())
        if (
            decided[i] == "lower"
            and key not in _STOPWORDS
            and not lists.is_common(key)
            and all(
                decided[j] == "title" and lists.is_name(fold(words[j].group()))
                for j in (i - 1, i + 1)
            )
        ):
            decided[i] = "title"
    # A run of names that starts with a given name is a name ("TOMMY JOE STONE").
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and decided[j] in ("lower", "title")
            and lists.is_name(fold(words[j].group()))
            and fold(words[j].group()) not in _STOPWORDS
            and (j == i or _joined(words, j - 1))  # a run ends at a comma
        ):
            j += 1
        if j - i >= 2 and lists.is_given(fold(words[i].group())):
            for k in range(i, j):
                decided[k] = "title"
        i = max(j, i + 1)
    # A building noun after an unknown capitalised word ("THORNBURY GRANGE").
    for i in range(1, len(words)):
        if (
            decided[i] == "lower"
            and fold(words[i].group()) in SETTING_NOUNS
            and decided[i - 1] == "title"
            and not lists.is_english(fold(words[i - 1].group()))
        ):
            decided[i] = "title"
    # Words of a street or school name after a house number keep their capital.
    for i, m in enumerate(words):
        if fold(m.group()) in _PLACE_WORDS and decided[i] == "title":
            j = i - 1
            while (
                j >= 0
                and i - j <= 3
                and decided[j] == "lower"
                and fold(words[j].group()) not in _STOPWORDS
            ):
                decided[j] = "title"
                j -= 1
    for m, how in zip(words, decided, strict=True):
        start = offset + m.start()
        if how == "title":
            put(start, _title(m.group()))
        elif how == "lower":
            put(start, _lower(m.group()))


def _lower_words(
    words: list[regex.Match[str]],
    offset: int,
    text: str,
    lists: NameLists,
    keep: KeepList,
    is_kept: Callable[[int, int], bool],
    put: Callable[[int, str], None],
    chars: list[str],
) -> None:
    n = len(words)
    for i, m in enumerate(words):
        word = m.group()
        start = offset + m.start()
        if not word.islower():
            continue
        key = fold(word)
        if key in lists.common and lists.is_given(key) and not is_kept(start, start + len(word)):
            # A given name that is also a word ("grace", "will") only with a family or role
            # word before it ("sister joy") or a speaker's verb after it at the start of a
            # sentence ("blessing said").
            if _word_name_in_lower_case(words, i, text, start, keep):
                put(start, _title(word))
            continue
        # Every rule below wants a word that is not an ordinary English word: most
        # words of a note stop here.
        if key in lists.common or key in INFORMAL_WORDS or is_kept(start, start + len(word)):
            continue
        nxt = fold(words[i + 1].group()) if i + 1 < n else ""
        prev_word = words[i - 1].group() if i > 0 else ""
        before = char_before(text, start)
        sentence_start = not before or before in ".!?:;\n"
        capitalise = False
        possessive = word.endswith(("'s", "’s"))
        base = word[:-2] if possessive else word
        unknown = (
            base.isalpha()
            and len(key) >= 3
            and not lists.is_english(key)
            and not lists.is_misspelt_word(key)
        )
        prev_key = fold(prev_word) if i > 0 else ""
        if (
            prev_key in _BEFORE_WORDS  # "all the mony": a misspelt word, not a name
            or (nxt in PRONOUNS and nxt not in ("it", "you"))  # "sayed she didnt": a verb
            or _written_capitalised(text, base)  # "Bonnie ... 'bonnie'": the word
        ):
            continue
        if (
            (lists.is_clear_given(key) and len(key) >= 3)
            or (unknown and lists.has_name_shape(key))
            or (unknown and lists.is_misspelt_given(key))  # "mohammmed"
            or (
                unknown
                and (
                    prev_key in PERSON_CUE_WORDS  # "dad dafydd", "gran biddy"
                    or prev_key in keep.words_of("kinship")  # "nani parveen"
                    or prev_key in CONTACT_VERBS  # "rang mehwish"
                    or (nxt in PERSON_VERBS and nxt not in _AUXILIARIES)  # "kemar stayed out"
                    or (possessive and nxt in LEADING_WORDS)  # "iolo's dad"
                    or (prev_key in _SPEECH_VERBS and nxt in PERSON_VERBS)  # "says x has"
                )
            )
        ):
            capitalise = True
        elif (
            unknown
            and i > 1
            and prev_key in ("and", "&")
            and chars[offset + words[i - 2].start()].isupper()
            and lists.is_name(fold(words[i - 2].group()))
        ):
            capitalise = True  # "Dhruv and kiran" (the first already capitalised here)
        elif (
            i > 0
            and "".join(chars[offset + words[i - 1].start()])[:1].isupper()
            and (
                text[offset + words[i - 1].end() : start] == " "
                and lists.is_clear_given(fold(prev_word))
                and not lists.is_common(key)
                and key not in _STOPWORDS
                and (lists.is_name(key) or not lists.is_english(key))
            )
        ):
            capitalise = True  # "darren ashcroft"
        elif sentence_start and not lists.is_common(key) and nxt in PERSON_VERBS and len(key) >= 3:
            capitalise = True  # "shabs rang"
        elif (
            len(key) >= 3
            and base.isalpha()
            and not lists.is_misspelt_word(key)
            and described_in_brackets(
                text[m.end() + offset : m.end() + offset + 45],
                PERSON_CUE_WORDS | keep.words_of("kinship"),
            )
        ):
            capitalise = True  # "rab (gran)", "efe (8)"
        if capitalise:
            put(start, _title(word))
    # "38 aspen street", "flat 4, 38 aspen street", "hillcrest infants".
    for i, m in enumerate(words):
        key = fold(m.group())
        if not m.group().islower():
            continue
        if key in _PLACE_TAILS and i > 0:
            j = i - 1
            named: list[int] = []
            while (
                j >= 0
                and len(named) < 3
                and words[j].group().isalpha()
                and fold(words[j].group()) not in _STOPWORDS
            ):
                named.append(j)
                j -= 1
            number_before = (
                bool(named)
                and j >= 0
                and words[j].group()[:1].isdigit()
                and _house_number(words[j].group())
                and fold(words[named[-1]].group()) not in QUANTITY_WORDS
                and not any(past_tense(fold(words[k].group()), lists) for k in named)
            )
            school = (
                key in _SCHOOL_TAILS
                and named
                and len(words[named[-1]].group()) >= 4
                and not lists.is_common(fold(words[named[-1]].group()))
                and not lists.is_misspelt_word(fold(words[named[-1]].group()))
            )
            if (
                named
                and (number_before or school)
                and not is_kept(offset + words[named[-1]].start(), offset + m.end())
            ):
                for k in [*named, i]:
                    put(offset + words[k].start(), _title(words[k].group()))
                if number_before and j >= 2 and fold(words[j - 2].group()) == "flat":
                    flat = words[j - 2]
                    put(offset + flat.start(), _title(flat.group()))
    # "at weston grange": a setting named like a house after "at", "to", "attends".
    for i, m in enumerate(words):
        if i < 2 or not m.group().islower() or fold(m.group()) not in SETTING_NOUNS:
            continue
        named = []
        j = i - 1
        while j >= 0 and len(named) < 2 and _proper_in_lower_case(words[j].group(), lists):
            named.append(j)
            j -= 1
        first = offset + words[named[-1]].start() if named else 0
        between = text[offset + words[j].end() : first].strip() if named and j >= 0 else ""
        if (
            named
            and j >= 0
            and (
                (fold(words[j].group()) in SETTING_CUES and not between)
                or between == "@"  # "isolation @ corvedale grange"
                or (fold(words[j].group()) in SETTING_LABELS and between in (":", "-", "–"))
            )
            and not is_kept(first, offset + m.end())
        ):
            for k in [*named, i]:
                put(offset + words[k].start(), _title(words[k].group()))


def _house_number(token: str) -> bool:
    """Digits (and a letter) that can number a house: not a year ("2014 drink drive")."""
    digits = "".join(c for c in token if c.isdigit())
    return not (len(digits) == 4 and digits[:2] in ("19", "20"))


def _joined(words: list[regex.Match[str]], i: int) -> bool:
    """Words ``i`` and ``i + 1`` of a passage are separated by spaces only."""
    return not words[i].string[words[i].end() : words[i + 1].start()].strip()


def _proper_in_lower_case(word: str, lists: NameLists) -> bool:
    """A lower-case word that can only be part of a proper name: no ordinary English
    word, no misspelling of one, no stop word."""
    key = fold(word)
    return (
        word.isalpha()
        and word.islower()
        and len(key) >= 4
        and key not in _STOPWORDS
        and key not in SETTING_CUES
        and not lists.is_english(key)
        and not lists.is_misspelt_word(key)
    )
