"""Demo clinics for development, screenshots and the browser tests.

Three are in Manhattan, Brooklyn and Jersey City at increasing distances from ZIP 10001,
so ordering by distance is visible; the rest spread over the US and Canada. Called by the
project's ``load_demo`` command; safe to run again (update by external id).
"""

from datetime import time

from django.db import transaction

from clinics.models import Clinic, ClinicOpeningHours, Service

SERVICES = ["TENS therapy", "Physiotherapy", "Chiropractic", "Massage therapy", "Acupuncture"]

WEEKDAYS_9_TO_5 = [(day, time(9), time(17)) for day in range(5)]
LONG_WEEK = [(day, time(8), time(19)) for day in range(5)] + [(5, time(9), time(14))]
SPLIT_DAYS = [(day, time(9), time(12)) for day in range(5)] + [
    (day, time(13), time(18)) for day in range(5)
]

CLINICS = [
    {
        "external_id": "demo-nyc-midtown",
        "name": "Midtown Pain Relief Clinic",
        "slug": "midtown-pain-relief-clinic",
        "address_line1": "350 W 31st St",
        "city": "New York",
        "region": "NY",
        "postal_code": "10001",
        "country": "US",
        "latitude": 40.7508,
        "longitude": -73.9961,
        "phone": "+1 212-555-0101",
        "email": "midtown@clinics.example",
        "services": ["TENS therapy", "Physiotherapy"],
        "hours": LONG_WEEK,
    },
    {
        "external_id": "demo-jersey-city",
        "name": "Hudson Physio Jersey City",
        "slug": "hudson-physio-jersey-city",
        "address_line1": "30 Montgomery St",
        "city": "Jersey City",
        "region": "NJ",
        "postal_code": "07302",
        "country": "US",
        "latitude": 40.7178,
        "longitude": -74.0431,
        "phone": "+1 201-555-0102",
        "services": ["Physiotherapy", "Massage therapy"],
        "hours": WEEKDAYS_9_TO_5,
    },
    {
        "external_id": "demo-brooklyn",
        "name": "Park Slope Chiropractic",
        "slug": "park-slope-chiropractic",
        "address_line1": "210 7th Ave",
        "city": "Brooklyn",
        "region": "NY",
        "postal_code": "11215",
        "country": "US",
        "latitude": 40.6712,
        "longitude": -73.9780,
        "phone": "+1 718-555-0103",
        "services": ["Chiropractic", "TENS therapy"],
        "hours": SPLIT_DAYS,
    },
    {
        "external_id": "demo-boston",
        "name": "Back Bay Wellness",
        "slug": "back-bay-wellness",
        "address_line1": "500 Boylston St",
        "city": "Boston",
        "region": "MA",
        "postal_code": "02116",
        "country": "US",
        "latitude": 42.3505,
        "longitude": -71.0742,
        "phone": "+1 617-555-0104",
        "services": ["Acupuncture", "TENS therapy"],
        "hours": WEEKDAYS_9_TO_5,
    },
    {
        "external_id": "demo-chicago",
        "name": "Lakeview Therapy Center",
        "slug": "lakeview-therapy-center",
        "address_line1": "3200 N Broadway",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60657",
        "country": "US",
        "latitude": 41.9399,
        "longitude": -87.6445,
        "phone": "+1 773-555-0105",
        "services": ["Physiotherapy", "Massage therapy", "TENS therapy"],
        "hours": LONG_WEEK,
    },
    {
        "external_id": "demo-toronto",
        "name": "King West Physiotherapy",
        "slug": "king-west-physiotherapy",
        "address_line1": "500 King St W",
        "city": "Toronto",
        "region": "ON",
        "postal_code": "M5V 1L9",
        "country": "CA",
        "latitude": 43.6447,
        "longitude": -79.3975,
        "phone": "+1 416-555-0106",
        "services": ["Physiotherapy", "TENS therapy"],
        "hours": LONG_WEEK,
    },
    {
        "external_id": "demo-vancouver",
        "name": "Kitsilano Pain Clinic",
        "slug": "kitsilano-pain-clinic",
        "address_line1": "2200 W 4th Ave",
        "city": "Vancouver",
        "region": "BC",
        "postal_code": "V6K 1N8",
        "country": "CA",
        "latitude": 49.2680,
        "longitude": -123.1580,
        "phone": "+1 604-555-0107",
        "services": ["Acupuncture", "Massage therapy"],
        "hours": WEEKDAYS_9_TO_5,
    },
    {
        "external_id": "demo-montreal",
        "name": "Clinique du Plateau",
        "slug": "clinique-du-plateau",
        "address_line1": "4500 Rue Saint-Denis",
        "city": "Montréal",
        "region": "QC",
        "postal_code": "H2J 2L3",
        "country": "CA",
        "latitude": 45.5230,
        "longitude": -73.5830,
        "phone": "+1 514-555-0108",
        "services": ["Chiropractic", "Physiotherapy"],
        "hours": SPLIT_DAYS,
    },
]


@transaction.atomic
def load_demo_clinics():
    """Create or update the demo clinics; returns them in the order above."""
    services = {}
    for name in SERVICES:
        services[name], _ = Service.objects.get_or_create(name=name)
    clinics = []
    for spec in CLINICS:
        spec = dict(spec)
        hours = spec.pop("hours")
        service_names = spec.pop("services")
        external_id = spec.pop("external_id")
        clinic, _ = Clinic.objects.update_or_create(
            external_id=external_id,
            defaults={**spec, "coordinates_manual": True, "is_active": True},
        )
        clinic.opening_hours.all().delete()
        ClinicOpeningHours.objects.bulk_create(
            ClinicOpeningHours(clinic=clinic, weekday=day, opens=opens, closes=closes, sort_order=i)
            for i, (day, opens, closes) in enumerate(sorted(hours))
        )
        clinic.services.set([services[name] for name in service_names])
        clinic.save()  # ParentalManyToManyField writes its rows on save.
        clinics.append(clinic)
    return clinics
