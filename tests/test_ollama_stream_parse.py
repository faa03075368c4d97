"""Splitting a model's streamed reply into cited sentences, however the stream is cut."""

from __future__ import annotations

import pytest

from assistant.contracts import DraftSentence
from assistant.generators.cited_stream import (
    CitedSentenceParser,
    citation_numbers,
    is_absence,
    parse_cited_text,
)

REPLY = (
    "On 2024-01-15 [Mother] told the worker she had been drinking most evenings [1]. "
    "Officers attended [ADDRESS] and Dr. Okafor's note says 3.5 units a day.[2][3] "
    "[Child 1] attendance was 82% [3, 4]. Nothing else is noted [Source 2]."
)
EXPECTED = [
    DraftSentence(
        "On 2024-01-15 [Mother] told the worker she had been drinking most evenings.", (1,)
    ),
    DraftSentence(
        "Officers attended [ADDRESS] and Dr. Okafor's note says 3.5 units a day.", (2, 3)
    ),
    DraftSentence("[Child 1] attendance was 82%.", (3, 4)),
    DraftSentence("Nothing else is noted.", (2,)),
]


def test_whole_reply_gives_cited_sentences_without_markers() -> None:
    assert list(parse_cited_text([REPLY])) == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11, 40])
def test_any_cut_of_the_stream_gives_the_same_sentences(size: int) -> None:
    pieces = [REPLY[i : i + size] for i in range(0, len(REPLY), size)]
    assert list(parse_cited_text(pieces)) == EXPECTED


def test_a_sentence_is_released_only_once_the_next_one_starts() -> None:
    parser = CitedSentenceParser()
    assert parser.feed("[Mother] was seen at home.") == []  # "[1]" may still follow
    assert parser.feed(" [1]") == []
    done = parser.feed(" Police")
    assert done == [DraftSentence("[Mother] was seen at home.", (1,))]
    assert parser.close() == [DraftSentence("Police", ())]


def test_partial_citation_at_end_of_piece_waits_for_the_bracket() -> None:
    parser = CitedSentenceParser()
    assert parser.feed("Seen at school. [1") == []
    assert parser.feed("2] Next") == [DraftSentence("Seen at school.", (12,))]


def test_placeholders_are_not_citations() -> None:
    assert citation_numbers("[Child 1] and [Mother] met [PHONE] [2]") == (2,)
    assert citation_numbers("[Person 7] moved near [School 1] [Postcode 2] [4]") == (4,)
    assert list(parse_cited_text(["[Child 1] was seen by [Professional 2]."])) == [
        DraftSentence("[Child 1] was seen by [Professional 2].", ())
    ]


def test_lists_markdown_and_blank_lines_become_plain_sentences() -> None:
    text = "**Summary**\n\n1. Police attended [2]\n- School reported lateness [3]\n"
    assert list(parse_cited_text([text])) == [
        DraftSentence("Summary", ()),
        DraftSentence("Police attended", (2,)),
        DraftSentence("School reported lateness", (3,)),
    ]


def test_repeated_and_mid_sentence_citations_are_kept_once_in_order() -> None:
    [sentence] = parse_cited_text(["The school [3] and police [2] both noted it [3]."])
    assert sentence == DraftSentence("The school and police both noted it.", (3, 2))


def test_absence_reply_is_recognised_only_without_citations() -> None:
    [absent] = parse_cited_text(["Nothing is recorded about this in the sources provided."])
    assert is_absence(absent)
    [cited] = parse_cited_text(["Nothing is recorded after March [2]."])
    assert not is_absence(cited)
