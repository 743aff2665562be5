"""What site search stores: one document per product or page, the synonyms staff edit, and
the queries that found nothing.

Documents are the search service's own index (kept by services.py on every save), so a query
reads one table whatever it finds: products, articles and pages alike, each with its title
and text already reduced to lower-case words (``text.key``). Wagtail's and Oscar's search
APIs keep serving their admin and dashboard lists.
"""

from django.db import models
from oscar.core.loading import get_model
from wagtail.models import Page

from . import text

Product = get_model("catalogue", "Product")


class Document(models.Model):
    PRODUCT = "product"
    ARTICLE = "article"
    PAGE = "page"
    KINDS = [(PRODUCT, "Product"), (ARTICLE, "Article"), (PAGE, "Page")]

    kind = models.CharField(max_length=10, choices=KINDS)
    product = models.OneToOneField(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.OneToOneField(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    # Words of the title and of the text, each padded with a space either side (text.key):
    # " word " and " two words " are then whole-word "contains" matches.
    title_key = models.CharField(max_length=400)
    text_key = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=400, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product__isnull=False) | models.Q(page__isnull=False),
                name="search_document_has_a_source",
            )
        ]

    def __str__(self):
        return self.title


class Synonym(models.Model):
    """A word or phrase shoppers type and what this store calls it: "tens unit" means the
    Pain Therapy System. Searching for the term also searches for the expansion."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="What shoppers type, e.g. “tens unit” (letters and spaces; case is ignored).",
    )
    expansion = models.CharField(
        max_length=200,
        help_text="What the store calls it, e.g. “pain therapy system”.",
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.expansion}"

    def save(self, *args, **kwargs):
        self.term = " ".join(text.words(self.term))
        super().save(*args, **kwargs)


class ZeroResultQuery(models.Model):
    """A search that found nothing, by its normalized words: what shoppers look for that the
    store does not (yet) answer."""

    query = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "search without results"
        verbose_name_plural = "searches without results"

    def __str__(self):
        return self.query
