"""Site search benchmark: the result page's queries and the suggestions on PostgreSQL.

    .venv/bin/python bench/search.py [--runs 30] [--save]
    (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/search_bench)

1. creates the database if missing and migrates it (bench/orders.py's helpers), loads the
   demo store and grows it to the bench catalogue (``manage.py bench_catalogue``: 1,000
   products, 500 articles), then rebuilds the search documents (the catalogue's products
   come from bulk_create, which sends no signals);
2. times, for a mix of exact, typo, several-word and synonym queries, what the result page
   asks of the database (``search.selectors.search_page`` and the first page of products
   for the cards) and what a suggestion asks (``search.selectors.suggest``), each query
   ``--runs`` times after one warm-up, and prints p50/p95 in milliseconds against the
   targets (50 ms and 20 ms). --save writes the table to bench/search-results.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from orders import ensure_database, setup_django  # noqa: E402 - bench/ is on the path when run as a script

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/search_bench"
PAGE_TARGET_MS = 50
SUGGEST_TARGET_MS = 20
QUERIES = {
    "exact": ["pain therapy system", "circulation promoter", "electrode pad", "back pain"],
    "typo": ["pain therpy", "circulaton promoter", "electorde pads", "shiping"],
    "several words": ["foot circulation", "lower back pain relief", "electrode pad set 512"],
    "synonym": ["tens unit", "return policy", "electrodes", "blood flow"],
}
SUGGEST_QUERIES = ["pa", "pain ther", "pain therpy", "circ", "electrod", "tens unit"]


def build_catalogue(products, articles):
    from django.core.management import call_command
    from oscar.core.loading import get_model

    if not get_model("catalogue", "Product").objects.filter(upc="RW-PTS-100").exists():
        call_command("load_demo", verbosity=0)
    call_command("bench_catalogue", products=products, articles=articles, clinics=0, verbosity=0)
    from search.services import rebuild_index

    print(f"{rebuild_index():,} search documents")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sitesearch_document")


def timed(function, query, runs):
    function(query)  # warm: the vocabulary, the connection, the plans
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function(query)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(timings, share):
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(runs):
    from search import selectors
    from search.views import PRODUCTS_PER_PAGE

    def result_page(query):
        results = selectors.search_page(query)
        ids = [hit.product_id for hit in results.products[:PRODUCTS_PER_PAGE]]
        return len(selectors.products_by_id(ids)), len(results.content)

    def suggestions(query):
        found = selectors.suggest(query)
        return len(found.products) + len(found.articles) + len(found.pages)

    rows = []
    everything = {"page": [], "suggest": []}
    for kind, queries in QUERIES.items():
        timings = []
        for query in queries:
            timings += timed(result_page, query, runs)
        everything["page"] += timings
        rows.append((f"result page: {kind}", timings, PAGE_TARGET_MS))
    rows.append(("result page: all", everything["page"], PAGE_TARGET_MS))
    for query in SUGGEST_QUERIES:
        everything["suggest"] += timed(suggestions, query, runs)
    rows.append(("suggestions: all", everything["suggest"], SUGGEST_TARGET_MS))
    return rows


def table(rows, documents):
    lines = [
        f"{documents:,} documents (products, articles, pages); times in ms",
        "",
        "| measure | n | p50 | p95 | target (p95) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, timings, target in rows:
        lines.append(
            f"| {label} | {len(timings)} | {statistics.median(timings):.1f} "
            f"| {percentile(timings, 0.95):.1f} | < {target} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--save", action="store_true", help="write bench/search-results.md")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(args.database_url)
    setup_django(args.database_url)  # and migrate
    build_catalogue(args.products, args.articles)
    from search.models import Document

    output = table(measure(args.runs), Document.objects.count())
    print(output)
    if args.save:
        results = ROOT / "bench" / "search-results.md"
        results.write_text(
            "# Site search benchmark (bench/search.py)\n\n"
            "PostgreSQL on the 2-core development machine, shared with other work; the "
            "service functions the views call, without HTTP or the page cache.\n\n" + output + "\n"
        )
        print(f"saved {results.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
