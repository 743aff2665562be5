from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .regions import REGIONS, normalise_postcode, region_name

MAX_RATE = Decimal("20")


def tax_label(name, rate):
    """How a tax is named to shoppers: "QST 9.975%", or the name alone without a rate."""
    if rate is None:
        return name
    return f"{name} {rate.normalize():f}%"


class TaxClass(models.TextChoices):
    """A product's tax class, kept as the ``tax_class`` product attribute (editable on the
    dashboard's product page); a product without one is standard."""

    STANDARD = "standard", "Standard"
    EXEMPT = "exempt", "Exempt"


class TaxRate(models.Model):
    """One tax levied in one state or province (or, with a postcode prefix, one local area).

    A destination pays every row of its region whose prefix is empty or starts its postcode;
    of rows with the same name the longest prefix wins, so a local row can replace the
    statewide one or add a local tax under its own name. Quebec, for example, has two rows
    (GST 5 %, QST 9.975 %); Oregon has none.
    """

    class Country(models.TextChoices):
        US = "US", "United States"
        CA = "CA", "Canada"

    country = models.CharField(max_length=2, choices=Country.choices)
    region = models.CharField(max_length=2, help_text="State or province code, e.g. NY, ON, QC.")
    postcode_prefix = models.CharField(
        max_length=10,
        blank=True,
        help_text="Only for a local rate: the ZIP or postal codes it applies to start with "
        "this (e.g. 100 for Manhattan, H2 for part of Montreal). Empty: the whole region.",
    )
    name = models.CharField(
        max_length=40, help_text="Shown to shoppers, e.g. Sales tax, GST, HST, PST, QST."
    )
    rate = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RATE)],
        help_text="Percent, e.g. 4 for 4 %, 9.975 for 9.975 %.",
    )
    shipping_taxable = models.BooleanField(
        default=True, help_text="Whether this tax is charged on the shipping charge too."
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the rate comes from, and as of when."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "region", "postcode_prefix", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "region", "postcode_prefix", "name"],
                name="tax_rate_one_row_per_tax_and_place",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=MAX_RATE),
                name="tax_rate_between_0_and_20_percent",
            ),
        ]

    def __str__(self):
        place = f"{self.region} {self.postcode_prefix}*" if self.postcode_prefix else self.region
        return f"{self.name} {self.rate.normalize():f} % ({self.country} {place})"

    @property
    def region_name(self):
        return region_name(self.country, self.region)

    def clean(self):
        self.region = (self.region or "").strip().upper()
        self.postcode_prefix = normalise_postcode(self.postcode_prefix)
        self.name = " ".join((self.name or "").split())
        if self.country in REGIONS and self.region not in REGIONS[self.country]:
            raise ValidationError(
                {
                    "region": f"{self.region or 'This'} is not a state or province of "
                    f"{self.get_country_display()}."
                }
            )


class OrderTax(models.Model):
    """One tax an order was charged, by name and rate ("GST 5%", "QST 9.975%"), with its
    amount on the goods and shipping together. The rows of an order add up to its
    ``total_tax``; they are written once, when the order is placed, so the order keeps the
    taxes it was charged whatever the rate table says later."""

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="taxes")
    name = models.CharField(max_length=80)
    # Four places: Stripe Tax reports rates such as 4.4375 %.
    rate = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Percent; empty when the provider gave no single rate.",
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "position", "pk"]
        verbose_name = "order tax"

    def __str__(self):
        return f"{self.label}: {self.amount}"

    @property
    def label(self):
        return tax_label(self.name, self.rate)
