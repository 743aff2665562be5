"""Text rules shared by the index and the queries: what a word is, which words carry no
meaning, plural stems, and how far a typed word may be from the word it means.

Pure functions, no database: the same rules shape what is stored (services.py) and what is
looked for (selectors.py), so a query and a document always agree on their words.
"""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
_WORD = re.compile(r"\w+")
# Words that say nothing about what a shopper wants; dropped from documents and queries so
# "Shipping & Returns" and "shipping and returns" have the same words.
STOP_WORDS = frozenset(
    "a an and are as at be by do does for from how i in is it its my of on or our the to "
    "what when why with you your".split()
)


def clean_query(raw):
    """The visitor's text as search text: printable characters only (a NUL byte is not
    search text and breaks PostgreSQL's string literals), trimmed, at most 200 characters."""
    text = "".join(ch for ch in str(raw or "")[: MAX_QUERY_LENGTH * 4] if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def words(text):
    """Lower-case words of ``text`` with the stop words left out (all of them kept when the
    text is nothing but stop words, so "how to" still searches for something)."""
    found = [
        w[:MAX_WORD_LENGTH] for w in _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    ]
    meaningful = [w for w in found if w not in STOP_WORDS]
    return meaningful or found


def key(text):
    """The form documents are stored and matched in: their words joined by single spaces,
    with a space either side so a phrase can be looked for as whole words."""
    return f" {' '.join(words(text or ''))} "


def stem(word):
    """The singular a plural most likely stands for: therapies -> therapy, pads -> pad.
    Deliberately crude: a stem only widens a "contains" match, it never replaces the word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def allowed_edits(word):
    """Typos forgiven in a word: none below four letters, one up to seven, two from eight."""
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a, b, limit):
    """Optimal-string-alignment distance (a swap of two neighbours is one edit), or
    ``limit + 1`` as soon as it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletes(word, depth):
    """Every string made by deleting up to ``depth`` letters from ``word`` (``word``
    included): two words within ``depth`` edits share at least one of these."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


class Vocabulary:
    """The words of the indexed titles and texts with how often each occurs, and a
    deletion index (SymSpell's idea) so a typed word finds its neighbours without comparing
    it with every word."""

    DEPTH = 2

    def __init__(self, counts):
        self.counts = dict(counts)
        self._by_delete = {}
        for word in self.counts:
            if allowed_edits(word) or len(word) >= 3:
                for variant in deletes(word, self.DEPTH):
                    self._by_delete.setdefault(variant, []).append(word)

    def __contains__(self, word):
        return word in self.counts

    def correct(self, word):
        """The closest known word within the typos ``word`` is allowed, or None. Ties go
        to the more frequent word (titles count more: see services.vocabulary_counts)."""
        limit = allowed_edits(word)
        if not limit or word in self.counts:
            return None
        candidates = set()
        for variant in deletes(word, limit):
            candidates.update(self._by_delete.get(variant, ()))
        best = None
        for candidate in candidates:
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                rank = (distance, -self.counts[candidate], candidate)
                best = min(best, rank) if best else rank
        return best[2] if best else None
