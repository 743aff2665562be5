"""Grow the demo store to benchmark size: many products, articles and clinics. Idempotent.

Used by bench/pages.py; the generated rows are marked (UPC prefix BENCH-, slug prefix
bench-) so a rerun only tops them up.
"""

import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.core.loading import get_model
from wagtail.models import Page

from clinics.models import Clinic

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


class Command(BaseCommand):
    help = "Add generated products, articles and clinics for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=1000)
        parser.add_argument("--articles", type=int, default=500)
        parser.add_argument("--clinics", type=int, default=10000)

    def handle(self, *args, products, articles, clinics, **options):
        self.products(products)
        self.articles(articles)
        self.clinics(clinics)

    @transaction.atomic
    def products(self, count):
        have = Product.objects.filter(upc__startswith="BENCH-").count()
        if have >= count:
            return
        product_class = ProductClass.objects.get(slug="accessory")
        category = Category.objects.get(slug="pads-accessories")
        partner = Partner.objects.get(code="reliefworks")
        new = [
            Product(
                upc=f"BENCH-{i:05d}",
                title=f"Electrode pad set {i}",
                slug=f"electrode-pad-set-{i}",
                product_class=product_class,
                structure=Product.STANDALONE,
                description="<p>Generated for benchmarks.</p>",
                is_public=True,
            )
            for i in range(have, count)
        ]
        Product.objects.bulk_create(new, batch_size=500)
        created = Product.objects.filter(upc__in=[p.upc for p in new])
        ProductCategory.objects.bulk_create(
            [ProductCategory(product=p, category=category) for p in created], batch_size=500
        )
        rng = random.Random(1)
        StockRecord.objects.bulk_create(
            [
                StockRecord(
                    product=p,
                    partner=partner,
                    partner_sku=p.upc,
                    price=Decimal(rng.randint(999, 9999)) / 100,
                    price_currency="USD",
                    num_in_stock=rng.randint(0, 200),
                )
                for p in created
            ],
            batch_size=500,
        )
        self.stdout.write(f"products: {count}")

    def articles(self, count):
        template = Page.objects.get(slug="what-do-back-spasms-feel-like").specific
        parent = template.get_parent()
        have = Page.objects.filter(slug__startswith="bench-article-").count()
        for i in range(have, count):
            template.copy(
                to=parent,
                update_attrs={
                    "title": f"Living with back pain, part {i}",
                    "slug": f"bench-article-{i}",
                },
                keep_live=True,
                log_action=None,
            )
        self.stdout.write(f"articles: {count}")

    @transaction.atomic
    def clinics(self, count):
        have = Clinic.objects.filter(external_id__startswith="BENCH-").count()
        rng = random.Random(2)
        batch = []
        for i in range(have, count):
            country = "US" if rng.random() < 0.85 else "CA"
            lat = rng.uniform(25.0, 49.0) if country == "US" else rng.uniform(43.0, 55.0)
            lng = rng.uniform(-124.0, -67.0) if country == "US" else rng.uniform(-123.0, -63.0)
            batch.append(
                Clinic(
                    name=f"Wellness Clinic {i}",
                    slug=f"bench-clinic-{i}",
                    external_id=f"BENCH-{i:06d}",
                    address_line1=f"{i} Main Street",
                    city="Springfield",
                    region="NY" if country == "US" else "ON",
                    postal_code="10001" if country == "US" else "M5V 2T6",
                    country=country,
                    latitude=round(lat, 6),
                    longitude=round(lng, 6),
                    coordinates_manual=True,
                    phone="+1 555 010 0000",
                )
            )
        Clinic.objects.bulk_create(batch, batch_size=1000)
        self.stdout.write(f"clinics: {count}")
