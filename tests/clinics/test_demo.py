import pytest

from clinics.models import Clinic, ClinicOpeningHours
from demo.clinics import load_demo_clinics


@pytest.mark.django_db
def test_load_demo_clinics_twice_changes_nothing():
    load_demo_clinics()
    before = (Clinic.objects.count(), ClinicOpeningHours.objects.count())
    load_demo_clinics()
    assert (Clinic.objects.count(), ClinicOpeningHours.objects.count()) == before
    assert set(Clinic.objects.values_list("country", flat=True)) == {"US", "CA"}
    assert all(clinic.services.exists() for clinic in Clinic.objects.all())
