"""The word rules shared by the index and the queries (search/text.py)."""

import pytest

from search import text


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("therpy", "therapy", 1),
        ("pian", "pain", 1),  # two neighbours swapped: one edit
        ("circulaton", "circulation", 1),
        ("cirkulatoin", "circulation", 2),
        ("pads", "pads", 0),
        ("tens", "belt", 3),
    ],
)
def test_edit_distance(a, b, distance):
    assert text.edit_distance(a, b, limit=3) == distance


def test_edits_allowed_grow_with_the_word():
    assert [text.allowed_edits(w) for w in ("pad", "pads", "therapy", "circulation")] == [
        0,
        1,
        1,
        2,
    ]
    assert text.allowed_edits("12345678") == 0


def test_vocabulary_corrects_within_the_allowance_only():
    vocabulary = text.Vocabulary({"therapy": 5, "circulation": 5, "pads": 3, "pain": 9})
    assert vocabulary.correct("therpy") == "therapy"
    assert vocabulary.correct("cirkulatoin") == "circulation"
    assert vocabulary.correct("thrpy") is None  # two edits in a six-letter word
    assert vocabulary.correct("pdas") == "pads"
    assert vocabulary.correct("pad") is None  # three letters: never corrected
    assert vocabulary.correct("therapy") is None  # known


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  pain   relief ", "pain relief"),
        ("pain\x00relief", "painrelief"),
        ("x" * 10_000, "x" * 200),
        (None, ""),
        ("\u202eniap", "niap"),
    ],
)
def test_clean_query(raw, cleaned):
    assert text.clean_query(raw) == cleaned


def test_words_are_lower_case_without_stop_words_or_punctuation():
    assert text.words('"Back" AND pain*') == ["back", "pain"]
    assert text.words("Shipping & Returns") == text.words("shipping and returns")
    assert text.words("how to") == ["how", "to"]
    assert text.words('"') == []


@pytest.mark.parametrize(
    ("word", "singular"),
    [("pads", "pad"), ("therapies", "therapy"), ("promoters", "promoter"), ("glass", "glass")],
)
def test_stem(word, singular):
    assert text.stem(word) == singular
