"""Benchmark of the clinic locator's nearest-clinic search.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/clinics.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinics_bench .venv/bin/python bench/clinics.py

Migrates the database, loads 100,000 generated clinics spread over North America
(weighted by city population, as real clinics are), then times "the nearest 20 within
50 miles" for 1,000 random points with ``clinics.selectors.nearest_clinic_ids`` (indexed
bounding box + exact haversine) and, for comparison, a naive scan computing the distance
to every clinic. Prints median and p95 in milliseconds.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import heapq  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from clinics.geocoding import _cities  # noqa: E402
from clinics.models import KM_PER_MILE, Clinic  # noqa: E402
from clinics.selectors import haversine_km, nearest_clinic_ids  # noqa: E402

PREFIX = "bench-"


def city_centres():
    seen = {}
    for entries in _cities().values():
        for name, region, country, lat, lng, population in entries:
            seen[(name, region, country)] = (lat, lng, population, country)
    return list(seen.values())


def generate(total, rng):
    centres = city_centres()
    weights = [c[2] for c in centres]
    picks = rng.choices(centres, weights=weights, k=total)
    batch = []
    created = 0
    for i, (lat, lng, _population, country) in enumerate(picks):
        # Most clinics within ~20 km of a town centre, one in ten scattered further out.
        spread = 0.2 if rng.random() < 0.9 else 1.5
        batch.append(
            Clinic(
                name=f"Bench clinic {i}",
                slug=f"{PREFIX}{i}",
                external_id=f"{PREFIX}{i}",
                address_line1=f"{i} Main St",
                city="Benchville",
                region="XX",
                postal_code="00000" if country == "US" else "A1A 1A1",
                country=country,
                latitude=min(84.0, max(15.0, rng.gauss(lat, spread))),
                longitude=min(-50.0, max(-180.0, rng.gauss(lng, spread))),
                coordinates_manual=True,
            )
        )
        if len(batch) == 5000:
            Clinic.objects.bulk_create(batch)
            created += len(batch)
            batch = []
            print(f"  {created:,} clinics", end="\r", flush=True)
    Clinic.objects.bulk_create(batch)
    print()


def random_points(count, rng):
    """Half near towns (where people search), half anywhere in the populated box."""
    centres = city_centres()
    points = []
    for _ in range(count):
        if rng.random() < 0.5:
            lat, lng, _, _ = rng.choice(centres)
            points.append((rng.gauss(lat, 0.3), rng.gauss(lng, 0.3)))
        else:
            points.append((rng.uniform(25, 55), rng.uniform(-125, -65)))
    return points


def naive_nearest(latitude, longitude, radius_km, limit=20):
    rows = Clinic.objects.filter(is_active=True).values_list("pk", "latitude", "longitude")
    within = (
        (d, pk)
        for pk, lat, lng in rows
        if (d := haversine_km(latitude, longitude, lat, lng)) <= radius_km
    )
    return [(pk, d) for d, pk in heapq.nsmallest(limit, within)]


def timed(function, points):
    timings, found = [], []
    for lat, lng in points:
        start = time.perf_counter()
        result = function(lat, lng)
        timings.append((time.perf_counter() - start) * 1000)
        found.append(result)
    return timings, found


def summary(label, timings):
    timings = sorted(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return (
        f"{label:<32} n={len(timings):>5}  median {statistics.median(timings):8.2f} ms"
        f"  p95 {p95:8.2f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=1_000)
    parser.add_argument("--naive-points", type=int, default=50)
    parser.add_argument("--radius-miles", type=float, default=50)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", interactive=False, verbosity=0)
    existing = Clinic.objects.filter(external_id__startswith=PREFIX).count()
    if existing != args.clinics:
        Clinic.objects.filter(external_id__startswith=PREFIX).delete()
        print(f"generating {args.clinics:,} clinics ...")
        generate(args.clinics, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does in production; index-only scans need the visibility map.
            cursor.execute("VACUUM ANALYZE clinics_clinic")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Clinic.objects.filter(is_active=True).count()
    radius_km = args.radius_miles * KM_PER_MILE
    points = random_points(args.points, rng)

    def indexed(lat, lng):
        return nearest_clinic_ids(latitude=lat, longitude=lng, radius_km=radius_km, limit=20)

    def naive(lat, lng):
        return naive_nearest(lat, lng, radius_km)

    indexed(*points[0])  # warm caches and the connection
    fast, fast_found = timed(indexed, points)
    slow, slow_found = timed(naive, points[: args.naive_points])
    for fast_result, slow_result in zip(fast_found[: len(slow_found)], slow_found, strict=True):
        # The database and Python compute the same formula; allow for the last bit.
        assert [pk for pk, _ in fast_result] == [pk for pk, _ in slow_result], "results differ"
        assert all(abs(a[1] - b[1]) < 1e-6 for a, b in zip(fast_result, slow_result, strict=True))
    hits = [len(r) for r in fast_found]

    print(
        f"{total:,} active clinics; nearest 20 within {args.radius_miles:g} miles; "
        f"median {statistics.median(hits):g} results per point"
    )
    print(summary("bounding box + haversine", fast))
    print(summary("naive full scan", slow))


if __name__ == "__main__":
    main()
