"""The packaged name and word lists (redaction/data): what they decide, and that the
English word lists ship with their licence notice."""

from __future__ import annotations

from redaction.name_lists import DATA_DIR, default_name_lists


def test_names_that_are_words_need_context_and_other_names_do_not() -> None:
    lists = default_name_lists()
    for word in ("hope", "will", "rose", "nanny"):
        assert lists.is_common(word), word
    for word in ("hope", "will", "rose"):
        assert lists.is_word_name(word), word
    for name in ("siobhan", "wojciech", "chukwuemeka", "zainab"):
        assert lists.is_clear_name(name), name
        assert not lists.is_english(name), name


def test_given_names_cover_many_origins() -> None:
    # Somali, Yoruba, Igbo, Akan, Hausa, Welsh, Gaelic, Vietnamese, Cantonese names that
    # the name tables hold and Faker's small per-country lists do not.
    lists = default_name_lists()
    for name in ("warsame", "hodan", "adaobi", "monie", "dami", "siu", "addis"):
        assert lists.is_clear_given(name), name
    # A name that is also a word only when widespread, a rarer one only with a verb.
    assert lists.is_word_name("wisdom")
    assert not lists.is_word_name("marvellous") and lists.may_be_name("marvellous")
    # Function words, short words and rarely held words are never names from the tables.
    for word in ("any", "won", "nobody"):
        assert not lists.may_be_name(word), word


def test_a_misspelt_given_name_is_recognised_and_an_english_word_is_not() -> None:
    lists = default_name_lists()
    for typo in ("mohammmed", "fatimma", "siobhna", "chukwuemkea"):
        assert lists.is_misspelt_given(typo), typo
    for word in ("mohammed", "appointment", "kitchen", "zzzzzzz"):
        assert not lists.is_misspelt_given(word), word


def test_rare_words_are_english_but_not_ordinary() -> None:
    lists = default_name_lists()
    for word in ("obsequious", "perspicacious", "landline"):
        assert lists.is_english(word) and not lists.is_common(word), word
    for word in ("threshold", "tenancy", "arabic"):
        assert lists.is_common(word), word


def test_english_word_lists_ship_with_their_licence_notice() -> None:
    # SCOWL's terms: its copyright and permission notices (UKACD's verbatim) go with
    # every copy of lists derived from it.
    notice = (DATA_DIR / "SCOWL-COPYRIGHT.txt").read_text(encoding="utf-8")
    assert "Kevin Atkinson" in notice and "UK Advanced Cryptics Dictionary" in notice
    for name in ("common_words.txt", "english_words.txt"):
        header = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        assert "SCOWL" in header and "NOTICE.md" in header, name
    for name in ("given_names.txt", "name_words.txt"):
        header = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        assert "nomquamgender" in header and "NOTICE.md" in header, name
    assert "nomquamgender" in (DATA_DIR / "NOTICE.md").read_text(encoding="utf-8")
