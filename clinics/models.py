"""Clinics that sell or use our devices, found by shoppers through the Clinic Locator.

Clinics are Wagtail snippets rather than pages: they are records that staff import in bulk
and edit in a list, not content with a place in the page tree. Opening hours are inline
child rows (``ParentalKey`` + ``Orderable``, as bakerydemo's ``LocationOperatingHours``) so
the snippet editor can add, remove and reorder them with the clinic in one form.
https://docs.wagtail.org/en/stable/topics/snippets/features.html
"""

import uuid
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from clinics.timezones import zone_for
from config.fields import ascii_digits

KM_PER_MILE = 1.609344


def new_external_id():
    """Clinics created in the admin get an id too, so every clinic can round-trip a CSV."""
    return f"web-{uuid.uuid4().hex[:12]}"


class Service(models.Model):
    """A treatment a clinic offers (TENS therapy, physiotherapy, ...); the locator filter."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


class Country(models.TextChoices):
    US = "US", "United States"
    CA = "CA", "Canada"


class Clinic(ClusterableModel):
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    external_id = models.CharField(
        max_length=64,
        unique=True,
        default=new_external_id,
        help_text="The clinic's id in the source system; CSV imports update clinics by it.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive clinics are hidden from the locator."
    )

    address_line1 = models.CharField("address line 1", max_length=255)
    address_line2 = models.CharField("address line 2", max_length=255, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField("state / province", max_length=100)
    postal_code = models.CharField("ZIP / postal code", max_length=10)
    country = models.CharField(max_length=2, choices=Country.choices, default=Country.US)

    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinates_manual = models.BooleanField(
        "coordinates entered by hand",
        default=False,
        help_text="Keep these coordinates when the address changes instead of geocoding it.",
    )

    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    services = ParentalManyToManyField(Service, blank=True, related_name="clinics")
    staff_notes = models.TextField(blank=True, help_text="Never shown to shoppers.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("is_active")], "Clinic"
        ),
        MultiFieldPanel(
            [
                FieldPanel("address_line1"),
                FieldPanel("address_line2"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("country")]),
            ],
            "Address",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("coordinates_manual"),
            ],
            "Location",
            help_text="Leave empty to geocode the address; editing them marks them as "
            "entered by hand.",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")], "Contact"
        ),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        InlinePanel("opening_hours", heading="Opening hours", label="Opening hours"),
        MultiFieldPanel([FieldPanel("external_id"), FieldPanel("staff_notes")], "Staff"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [
            # The nearest-clinic search starts with a latitude/longitude bounding box over
            # active clinics (clinics.selectors); this index serves that range scan, and
            # carrying the id lets PostgreSQL answer it from the index alone.
            models.Index(
                fields=["latitude", "longitude", "id"],
                condition=models.Q(is_active=True),
                name="clinic_active_lat_lng_idx",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.region})"

    def get_absolute_url(self):
        return reverse("clinics:detail", kwargs={"slug": self.slug})

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def address_lines(self):
        locality = f"{self.city}, {self.region} {self.postal_code}".strip()
        return [line for line in (self.address_line1, self.address_line2, locality) if line]

    @property
    def one_line_address(self):
        return ", ".join([*self.address_lines, self.get_country_display()])

    @property
    def distance_unit(self):
        """Miles in the US, kilometres in Canada (the unit people there use)."""
        return "km" if self.country == Country.CA else "mi"

    @property
    def directions_url(self):
        """Google Maps directions to the street address (works on phones and desktops)."""
        return "https://www.google.com/maps/dir/?" + urlencode(
            {"api": "1", "destination": self.one_line_address}
        )

    @property
    def phone_uri(self):
        digits = "".join(ch for ch in ascii_digits(self.phone) if ch in "0123456789+")
        return f"tel:{digits}" if digits else ""

    def hours_for(self, weekday):
        """Opening-hours rows for one weekday, using prefetched rows when available."""
        return [row for row in self.opening_hours.all() if row.weekday == weekday]

    def local_now(self):
        return timezone.localtime(timezone=zone_for(self.country, self.region))

    def todays_hours(self):
        return self.hours_for(self.local_now().weekday())

    def is_open_now(self):
        now = self.local_now()
        return any(row.is_open_at(now.time()) for row in self.hours_for(now.weekday()))

    def todays_hours_display(self):
        return describe_hours(self.todays_hours())

    def weekly_hours(self):
        """[(weekday label, "09:00–12:00, 13:00–17:00" or "Closed")] Monday first."""
        return [(label, describe_hours(self.hours_for(day))) for day, label in Weekday.choices]


def describe_hours(rows):
    spans = [
        f"{row.opens:%H:%M}–{row.closes:%H:%M}"
        for row in rows
        if not row.closed and row.opens is not None and row.closes is not None
    ]
    return ", ".join(spans) if spans else "Closed"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ClinicOpeningHours(Orderable):
    """One opening interval on one weekday; a day may have several (a lunch break)."""

    clinic = ParentalKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    closed = models.BooleanField(default=False, help_text="Closed all day.")

    panels = [
        FieldRowPanel(
            [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes"), FieldPanel("closed")]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"
        ordering = ["weekday", "sort_order", "opens"]

    def __str__(self):
        if self.closed or self.opens is None or self.closes is None:
            return f"{self.get_weekday_display()}: closed"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError("Give opening and closing times, or tick “closed”.")
        if not self.closed and self.opens == self.closes:
            raise ValidationError("Opening and closing times must differ.")

    def is_open_at(self, moment):
        if self.closed or self.opens is None or self.closes is None:
            return False
        if self.opens < self.closes:
            return self.opens <= moment < self.closes
        # Open past midnight (e.g. 20:00–02:00) on this weekday's evening.
        return moment >= self.opens


class GeocodeCacheEntry(models.Model):
    """An online geocoder's answer, kept so the same query never costs two look-ups.

    "Not found" answers are cached too (``found=False``); failures of the service itself
    are not, so they are retried.
    """

    provider = models.CharField(max_length=32)
    query = models.CharField(max_length=255)
    found = models.BooleanField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    label = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "query"], name="geocode_cache_unique")
        ]

    def __str__(self):
        return f"{self.provider}: {self.query}"
