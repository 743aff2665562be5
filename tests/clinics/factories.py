"""factory_boy factories for clinics (imported by the tests in this folder)."""

from datetime import time

import factory

from clinics.models import Clinic, ClinicOpeningHours, Service


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ClinicFactory(factory.django.DjangoModelFactory):
    """A clinic in Manhattan open 09:00–17:00 on weekdays."""

    class Meta:
        model = Clinic
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    external_id = factory.Sequence(lambda n: f"ext-{n}")
    address_line1 = factory.Sequence(lambda n: f"{n} Broadway")
    city = "New York"
    region = "NY"
    postal_code = "10001"
    country = "US"
    latitude = 40.7484
    longitude = -73.9967
    coordinates_manual = True
    phone = "+1 212-555-0100"

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)
            self.save()  # ParentalManyToManyField writes on save.

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [(d, time(9), time(17)) for d in range(5)]
        ClinicOpeningHours.objects.bulk_create(
            ClinicOpeningHours(clinic=self, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in rows
        )
