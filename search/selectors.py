"""Read side of site search: from a visitor's text to ranked products, articles and pages.

1. ``plan``: the query's words; each unknown word corrected to the closest word of the
   indexed titles and texts (one typo per word of 4+ letters, two from 8; the same Python
   rule on every database, so "Did you mean" reads alike); synonyms staff keep (a "tens unit"
   is the Pain Therapy System) widen the words they cover.
2. ``ranked``: one query over the documents (services.py keeps them) scores every word group
   against titles and texts in SQL; on PostgreSQL a pg_trgm word similarity (GIN-indexed,
   migration 0002) also catches title typos no vocabulary word explains. Python then ranks:
   the share of words found first (every word counts, partial matches still rank), then the
   weights: exact above corrected, titles above texts.
3. ``search_page`` / ``suggest``: products with their facets, then articles and pages,
   in a fixed number of queries whatever the catalogue size.
"""

import bisect
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model
from wagtail.models import PageViewRestriction

from shop.selectors import products_for_cards

from . import services, text
from .models import Document, Synonym

ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
COVERAGE_WEIGHT = 10.0
# Alternatives of a word, by how sure the store is that the visitor meant them.
EXACT, STEM, SYNONYM, CORRECTED, CORRECTED_STEM, PART_OF_PHRASE = 1.0, 0.95, 0.9, 0.7, 0.65, 0.5
# pg_trgm's default word_similarity_threshold, which the indexed ``<%`` operator applies.
TRIGRAM_THRESHOLD = 0.6
TRIGRAM_WEIGHT = 0.6
PRICE_BANDS = [
    ("under-25", "Under $25", Decimal("0"), Decimal("25")),
    ("25-100", "$25 to $100", Decimal("25"), Decimal("100")),
    ("100-200", "$100 to $200", Decimal("100"), Decimal("200")),
    ("over-200", "$200 and over", Decimal("200"), None),
]
KIND_LABELS = {
    Document.PRODUCT: "Products",
    Document.ARTICLE: "Articles",
    Document.PAGE: "Pages",
}


# --- The vocabulary (in memory, one per process) --------------------------------------------


class _Memo(threading.local):
    generation = None
    value = None


_memo = _Memo()


@dataclass
class Lexicon:
    vocabulary: text.Vocabulary
    sorted_words: list
    synonyms: dict  # term words (tuple) -> expansion words (tuple)
    categories: dict  # product id -> {category id: name}, for the category facet


def lexicon():
    """The indexed words and the synonyms, rebuilt when the index changes (services
    bumps the generation on every committed change)."""
    current = services.generation()
    if _memo.generation != current or _memo.value is None:
        _memo.value = _build_lexicon()
        _memo.generation = current
    return _memo.value


def _build_lexicon():
    counts = {}
    rows = Document.objects.values_list("title_key", "text_key")
    for title_key, text_key in rows.iterator(chunk_size=500):
        for word in title_key.split():
            counts[word] = counts.get(word, 0) + 5
        for word in text_key.split():
            counts[word] = counts.get(word, 0) + 1
    synonyms = {}
    for term, expansion in Synonym.objects.values_list("term", "expansion"):
        term_words, expansion_words = tuple(text.words(term)), tuple(text.words(expansion))
        if term_words and expansion_words:
            synonyms[term_words] = expansion_words
            for word in term_words + expansion_words:
                counts[word] = counts.get(word, 0) + 1
    categories = {}
    links = ProductCategory.objects.values_list("product_id", "category_id", "category__name")
    for product_id, category_id, name in links:
        categories.setdefault(product_id, {})[category_id] = name
    return Lexicon(text.Vocabulary(counts), sorted(counts), synonyms, categories)


def _is_known(lex, word):
    """A word of the index, or the start of one (a shopper still typing "therap")."""
    if word in lex.vocabulary or text.stem(word) in lex.vocabulary:
        return True
    at = bisect.bisect_left(lex.sorted_words, word)
    return at < len(lex.sorted_words) and lex.sorted_words[at].startswith(word)


# --- From text to word groups ------------------------------------------------------------------


@dataclass
class Group:
    """One word of the query (or a phrase a synonym covers): the strings that satisfy it,
    each with its weight, best first."""

    alternatives: list
    fuzzy_word: str = ""  # an unknown word for PostgreSQL's trigram similarity


@dataclass
class Plan:
    query: str
    groups: list
    corrected_query: str = ""  # set when a word was corrected: "Did you mean ...?"


def _add(alternatives, phrase, weight):
    if phrase and all(existing != phrase for existing, _ in alternatives):
        alternatives.append((phrase, weight))


def _word_group(lex, word):
    alternatives, fuzzy = [], ""
    _add(alternatives, word, EXACT)
    _add(alternatives, text.stem(word), STEM)
    correction = None if _is_known(lex, word) else lex.vocabulary.correct(word)
    if correction:
        _add(alternatives, correction, CORRECTED)
        _add(alternatives, text.stem(correction), CORRECTED_STEM)
    elif not _is_known(lex, word) and text.allowed_edits(word):
        fuzzy = word
    return Group(alternatives, fuzzy), correction


def _synonym_at(lex, words, start):
    """The longest synonym term starting at ``words[start]`` (matched word by word, plural
    or singular alike), as ``(length, expansion)``."""
    best = (0, ())
    for term, expansion in lex.synonyms.items():
        end = start + len(term)
        if end <= len(words) and len(term) > best[0]:
            span = words[start:end]
            if all(text.stem(a) == text.stem(b) for a, b in zip(span, term, strict=True)):
                best = (len(term), expansion)
    return best


def plan(query):
    lex = lexicon()
    typed = text.words(text.clean_query(query))[: text.MAX_WORDS]
    groups, corrected_words, singles = [], [], []
    for word in typed:
        group, correction = _word_group(lex, word)
        singles.append(group)
        corrected_words.append(correction or word)
    position = 0
    while position < len(typed):
        length, expansion = _synonym_at(lex, corrected_words, position)
        if not length:
            groups.append(singles[position])
            position += 1
            continue
        span = corrected_words[position : position + length]
        alternatives = []
        _add(alternatives, " ".join(span), EXACT * length)
        _add(alternatives, " ".join(expansion), SYNONYM * length)
        # A word of a longer phrase alone counts for less than the phrase.
        part = PART_OF_PHRASE if length > 1 else 1.0
        for group in singles[position : position + length]:
            for phrase, weight in group.alternatives:
                _add(alternatives, phrase, weight * part)
        groups.append(Group(sorted(alternatives, key=lambda pair: -pair[1])))
        position += length
    for group in groups:
        # A word no title or text holds cannot match: not looking for it saves a scan of
        # every text (the vocabulary has every indexed word).
        group.alternatives = [
            (phrase, weight)
            for phrase, weight in group.alternatives
            if all(_is_known(lex, word) for word in phrase.split())
        ]
    corrected = " ".join(corrected_words)
    return Plan(
        query=" ".join(typed),
        groups=groups,
        corrected_query=corrected if corrected_words != typed else "",
    )


# --- Scoring -------------------------------------------------------------------------------------


class WordSimilar(Func):
    """``word <% column``: pg_trgm's word similarity above its threshold, which a GIN
    trigram index on the column answers (Django's lookup for it needs
    django.contrib.postgres installed; this expression does not)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _contains(column, phrase):
    # Documents store " word word " (text.key): a leading space makes a match start a word.
    return Q(**{f"{column}__contains": f" {phrase}"})


COLUMN_WEIGHTS = {"title_key": TITLE_WEIGHT, "text_key": TEXT_WEIGHT}


def _group_case(group, columns):
    """The group's best score in one CASE: every (column, alternative) pair, highest value
    first, so the first match is the best one and a title match spares the text's scan."""
    pairs = sorted(
        (
            (weight * COLUMN_WEIGHTS[column], column, phrase)
            for column in columns
            for phrase, weight in group.alternatives
        ),
        key=lambda pair: -pair[0],
    )
    whens = [When(_contains(column, phrase), then=Value(value)) for value, column, phrase in pairs]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def _visible_documents():
    """Documents of pages behind a view restriction (a password, signed-in users) are left
    out, as Wagtail's ``public()`` leaves their pages out."""
    documents = Document.objects.all()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        documents = documents.exclude(page__path__startswith=path)
    return documents


@dataclass
class Hit:
    document_id: int
    kind: str
    product_id: int
    page_id: int
    title: str
    url: str
    summary: str
    score: float
    coverage: float
    price: Decimal = None
    free: int = None


HIT_FIELDS = ["id", "kind", "product_id", "page_id", "title", "url", "summary"]
# Stock records that do not track stock count as this many free units.
IN_STOCK_UNTRACKED = 1_000_000


def _rows(plan_, kinds=None, titles_only=False):
    """The matching documents as tuples, and the names of their columns."""
    on_postgres = connection.vendor == "postgresql"
    columns = ["title_key"] if titles_only else ["title_key", "text_key"]
    annotations, matches = {}, Q()
    for number, group in enumerate(plan_.groups):
        annotations[f"g{number}"] = _group_case(group, columns)
        for column in columns:
            for phrase, _weight in group.alternatives:
                matches |= _contains(column, phrase)
        if on_postgres and group.fuzzy_word:
            annotations[f"g{number}f"] = TrigramWordSimilarity(group.fuzzy_word, "title_key")
            matches |= Q(WordSimilar(Value(group.fuzzy_word), F("title_key")))
    if not matches:
        return [], []
    documents = _visible_documents().filter(matches)
    if kinds:
        documents = documents.filter(kind__in=kinds)
    if not titles_only:
        annotations.update(_stock_annotations())
    names = [*HIT_FIELDS, *annotations]
    return documents.annotate(**annotations).values_list(*names), names


def _stock_annotations():
    """A product's lowest price and its most free stock (None when not tracked), read in
    the same query as the documents: the facets need them for every product found."""
    records = StockRecord.objects.filter(product_id=OuterRef("product_id"))
    free = Coalesce(F("num_in_stock"), Value(IN_STOCK_UNTRACKED)) - Coalesce(
        F("num_allocated"), Value(0)
    )
    return {
        "price": Subquery(records.order_by("price").values("price")[:1]),
        "free": Subquery(
            records.annotate(free=free).order_by("-free").values("free")[:1],
            output_field=IntegerField(),
        ),
    }


@contextmanager
def _trigram_index_scans():
    """On PostgreSQL, read the documents through the trigram indexes. The planner prices a
    GIN trigram scan far above what it costs: for selective words it chose reading every
    text (12 ms for "return policy" on the bench catalogue) over the indexes (0.7 ms), and
    for words in most documents the two cost the same (bench/search.py)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = DEFAULT")


def _score(row, keys):
    """(share of the word groups found, score) of one row; ``keys`` are the positions of
    each group's best match and, on PostgreSQL, of its trigram similarity (or None)."""
    found, total = 0, 0.0
    for best_at, trigram_at in keys:
        best = row[best_at]
        if trigram_at is not None:
            best = max(best, _trigram_score(row[trigram_at]))
        found += best > 0
        total += best
    share = found / len(keys)
    return share, share * COVERAGE_WEIGHT + total


def _trigram_score(similarity):
    if similarity is None or similarity < TRIGRAM_THRESHOLD:
        return 0.0
    return similarity * TRIGRAM_WEIGHT * TITLE_WEIGHT


def ranked(plan_, kinds=None, titles_only=False):
    """Every document matching at least one word group, best first. When some document
    has every word, those with fewer than half of them are left out (noise); otherwise the
    best partial matches stand. Suggestions look at ``titles_only``: what a shopper types
    into the header names a thing, and titles are a fraction of the text to scan."""
    if not plan_.groups:
        return []
    count = len(plan_.groups)
    with _trigram_index_scans():
        queryset, names = _rows(plan_, kinds, titles_only)
        rows = list(queryset)
    if not rows:
        return []
    position = {name: index for index, name in enumerate(names)}
    keys = [(position[f"g{number}"], position.get(f"g{number}f")) for number in range(count)]
    price, free = position.get("price"), position.get("free")
    hits = []
    for row in rows:
        coverage, score = _score(row, keys)
        if coverage:
            hits.append(
                Hit(
                    *row[: len(HIT_FIELDS)],
                    score=score,
                    coverage=coverage,
                    price=row[price] if price is not None else None,
                    free=row[free] if free is not None else None,
                )
            )
    if any(hit.coverage == 1 for hit in hits):
        floor = math.ceil(count / 2) / count
        hits = [hit for hit in hits if hit.coverage >= floor]
    # Ties: the shorter title (more of it is what was asked for), then alphabetical.
    hits.sort(key=lambda hit: (-hit.score, len(hit.title), hit.title, hit.document_id))
    return hits


# --- Facets ----------------------------------------------------------------------------------


@dataclass
class ProductFacts:
    categories: dict = field(default_factory=dict)  # id -> name
    price: Decimal = None
    in_stock: bool = False


def product_facts(hits):
    """Categories, lowest price and whether stock is free, for each product hit: prices
    and stock came with the hits (``_stock_annotations``), categories from the lexicon."""
    categories = lexicon().categories
    return {
        hit.product_id: ProductFacts(
            categories=categories.get(hit.product_id, {}),
            price=hit.price,
            in_stock=hit.free is not None and hit.free > 0,
        )
        for hit in hits
    }


def price_band(price):
    if price is None:
        return None
    for key, _label, low, high in PRICE_BANDS:
        if price >= low and (high is None or price < high):
            return key
    return None


@dataclass
class Filters:
    categories: frozenset = frozenset()
    prices: frozenset = frozenset()
    in_stock: bool = False
    kinds: frozenset = frozenset()

    def keeps(self, fact):
        if self.categories and not self.categories & set(fact.categories):
            return False
        if self.prices and price_band(fact.price) not in self.prices:
            return False
        return fact.in_stock or not self.in_stock


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool


def _facets(products, facts, filters):
    categories, prices, in_stock = {}, {}, 0
    for hit in products:
        fact = facts[hit.product_id]
        for category_id, name in fact.categories.items():
            categories.setdefault(category_id, [name, 0])[1] += 1
        band = price_band(fact.price)
        if band:
            prices[band] = prices.get(band, 0) + 1
        in_stock += fact.in_stock
    return {
        "category": [
            Facet(str(pk), name, count, pk in filters.categories)
            for pk, (name, count) in sorted(categories.items(), key=lambda item: item[1][0])
        ],
        "price": [
            Facet(key, label, prices[key], key in filters.prices)
            for key, label, _low, _high in PRICE_BANDS
            if key in prices
        ],
        "in_stock": Facet("1", "In stock", in_stock, filters.in_stock),
    }


# --- The result page and the suggestions ----------------------------------------------------


@dataclass
class SearchResults:
    plan: Plan
    products: list  # hits after the product facets
    content: list  # articles and pages
    facets: dict
    kinds: list  # content-type facet
    total: int  # everything the words found, before the facets

    @property
    def empty(self):
        return self.total == 0


def search_page(query, filters=None):
    """Everything the result page lists, ranked and faceted (the page itself loads only the
    products it shows: ``products_by_id``)."""
    filters = filters or Filters()
    plan_ = plan(query)
    hits = ranked(plan_)
    products = [hit for hit in hits if hit.kind == Document.PRODUCT]
    facts = product_facts(products)
    kept = [hit for hit in products if filters.keeps(facts[hit.product_id])]
    content = [hit for hit in hits if hit.kind != Document.PRODUCT]
    by_kind = {kind: 0 for kind in KIND_LABELS}
    for hit in hits:
        by_kind[hit.kind] += 1
    kinds = [
        Facet(kind, label, by_kind[kind], kind in filters.kinds)
        for kind, label in KIND_LABELS.items()
        if by_kind[kind]
    ]
    if filters.kinds:
        kept = kept if Document.PRODUCT in filters.kinds else []
        content = [hit for hit in content if hit.kind in filters.kinds]
    return SearchResults(
        plan=plan_,
        products=kept,
        content=content,
        facets=_facets(products, facts, filters),
        kinds=kinds,
        total=len(hits),
    )


def products_by_id(product_ids):
    """The products in the given order, ready for product cards (prices, stock, images)."""
    found = products_for_cards().filter(is_public=True).in_bulk(product_ids)
    return [found[pk] for pk in product_ids if pk in found]


@dataclass
class Suggestions:
    plan: Plan
    products: list  # Product objects, ready for price and image
    articles: list  # hits
    pages: list  # hits


def suggest(query, products=5, articles=3, pages=3):
    plan_ = plan(query)
    hits = ranked(plan_, titles_only=True)
    product_ids = [hit.product_id for hit in hits if hit.kind == Document.PRODUCT][:products]
    return Suggestions(
        plan=plan_,
        products=products_by_id(product_ids),
        articles=[hit for hit in hits if hit.kind == Document.ARTICLE][:articles],
        pages=[hit for hit in hits if hit.kind == Document.PAGE][:pages],
    )
