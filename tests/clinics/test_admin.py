import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from clinics import geocoding
from clinics.models import Clinic
from clinics.wagtail_hooks import ClinicViewSet
from tests.clinics.factories import ClinicFactory


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser(
        username="admin", email="admin@example.com", password="pw"
    )
    client.force_login(user)
    return client


def edit_data(clinic, **changes):
    data = {
        "name": clinic.name,
        "slug": clinic.slug,
        "is_active": "on",
        "address_line1": clinic.address_line1,
        "address_line2": "",
        "city": clinic.city,
        "region": clinic.region,
        "postal_code": clinic.postal_code,
        "country": clinic.country,
        "latitude": "" if clinic.latitude is None else str(clinic.latitude),
        "longitude": "" if clinic.longitude is None else str(clinic.longitude),
        "phone": clinic.phone,
        "email": "",
        "website": "",
        "external_id": clinic.external_id,
        "staff_notes": "",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
    }
    if clinic.coordinates_manual:
        data["coordinates_manual"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(clinic):
    return f"/cms/snippets/clinics/clinic/edit/{clinic.pk}/"


@pytest.mark.django_db
def test_clinic_list_search_and_filter(staff_client):
    ClinicFactory(name="Findable Clinic", city="Albany")
    ClinicFactory(name="Other Clinic")
    response = staff_client.get("/cms/snippets/clinics/clinic/", {"q": "Albany"})
    assert response.status_code == 200
    assert b"Findable Clinic" in response.content
    assert b"Other Clinic" not in response.content
    response = staff_client.get("/cms/snippets/clinics/clinic/", {"country": "CA"})
    assert response.status_code == 200
    assert b"Findable Clinic" not in response.content


@pytest.mark.django_db
def test_editing_the_address_geocodes_again(staff_client):
    clinic = ClinicFactory(coordinates_manual=False)
    response = staff_client.post(
        edit_url(clinic), edit_data(clinic, city="Chicago", region="IL", postal_code="60602")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic.refresh_from_db()
    assert clinic.latitude == pytest.approx(41.88, abs=0.05)
    assert not clinic.coordinates_manual


@pytest.mark.django_db
def test_hand_entered_coordinates_survive_an_address_edit(staff_client):
    clinic = ClinicFactory(coordinates_manual=True, latitude=40.7, longitude=-74.0)
    response = staff_client.post(edit_url(clinic), edit_data(clinic, postal_code="60602"))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.latitude, clinic.longitude) == (40.7, -74.0)


@pytest.mark.django_db
def test_typing_coordinates_marks_them_as_hand_entered(staff_client):
    clinic = ClinicFactory(coordinates_manual=False)
    response = staff_client.post(
        edit_url(clinic), edit_data(clinic, latitude="40.71", longitude="-74.01")
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.coordinates_manual and clinic.latitude == 40.71


@pytest.mark.django_db
def test_unplaceable_address_is_a_form_error_not_a_partial_clinic(staff_client):
    clinic = ClinicFactory(coordinates_manual=False)
    response = staff_client.post(
        edit_url(clinic),
        edit_data(clinic, city="Xqzzyville", region="ZZ", postal_code="X0X 0X0", country="CA"),
    )
    assert response.status_code == 200
    assert b"enter the latitude and longitude by hand" in response.content
    clinic.refresh_from_db()
    assert clinic.city == "New York"


@pytest.mark.django_db
def test_admin_upload_imports_good_rows_and_lists_rejected_ones(staff_client):
    text = (
        "external_id,name,address_line1,city,region,postal_code,country\n"
        "a-1,Good Clinic,1 Main St,New York,NY,10001,US\n"
        "a-2,Bad Clinic,1 Main St,New York,NY,10001,Mars\n"
    )
    upload = SimpleUploadedFile("clinics.csv", text.encode(), content_type="text/csv")
    response = staff_client.post("/cms/clinics/import/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 created" in html and "Country must be US or CA." in html
    assert list(Clinic.objects.values_list("external_id", flat=True)) == ["a-1"]


@pytest.mark.django_db
def test_admin_upload_with_wrong_encoding_is_refused(staff_client):
    upload = SimpleUploadedFile("clinics.csv", "Montréal".encode("latin-1"))
    response = staff_client.post("/cms/clinics/import/", {"file": upload})
    assert response.status_code == 400
    assert b"not UTF-8" in response.content


@pytest.mark.django_db
def test_admin_export_downloads_csv(staff_client):
    ClinicFactory(external_id="e-1")
    response = staff_client.get("/cms/clinics/import/export/")
    assert response["Content-Type"].startswith("text/csv")
    assert b"e-1," in response.content


@pytest.mark.django_db
def test_import_page_needs_permission(client):
    user = get_user_model().objects.create_user(username="u", email="u@example.com", password="x")
    client.force_login(user)
    response = client.get("/cms/clinics/import/")
    assert response.status_code in (302, 403)


def _clinic_form(clinic, **changes):
    form_class = ClinicViewSet().get_edit_handler().get_form_class()
    return form_class(edit_data(clinic, **changes), instance=clinic)


@pytest.mark.django_db
def test_validating_the_clinic_form_never_calls_the_geocoder(monkeypatch):
    def no_network(**address):
        raise AssertionError(f"geocoder called during validation: {address}")

    monkeypatch.setattr(geocoding, "geocode_address", no_network)
    clinic = ClinicFactory(coordinates_manual=False)
    form = _clinic_form(clinic, city="Chicago", region="IL", postal_code="60602")

    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_saving_a_changed_address_geocodes_it_once(staff_client, monkeypatch):
    calls = []

    def fake_geocoder(**address):
        calls.append(address)
        return geocoding.Place(41.88, -87.63, "Chicago")

    monkeypatch.setattr(geocoding, "geocode_address", fake_geocoder)
    clinic = ClinicFactory(coordinates_manual=False)
    response = staff_client.post(
        edit_url(clinic), edit_data(clinic, city="Chicago", region="IL", postal_code="60602")
    )

    assert response.status_code == 302
    assert [call["postal_code"] for call in calls] == ["60602"]
    clinic.refresh_from_db()
    assert (clinic.latitude, clinic.longitude) == (41.88, -87.63)


@pytest.mark.django_db
def test_a_geocoder_that_does_not_answer_is_a_form_error_not_a_500(staff_client, monkeypatch):
    def down(**address):
        raise geocoding.GeocodingError("The geocoder did not answer; try again later.")

    monkeypatch.setattr(geocoding, "geocode_address", down)
    clinic = ClinicFactory(coordinates_manual=False)
    response = staff_client.post(edit_url(clinic), edit_data(clinic, postal_code="60602"))

    assert response.status_code == 200
    assert b"The geocoder did not answer" in response.content
    clinic.refresh_from_db()
    assert clinic.postal_code != "60602"


@pytest.mark.django_db
def test_adding_a_clinic_geocodes_its_address(staff_client):
    new = ClinicFactory.build(
        external_id="new-1",
        slug="new-clinic",
        latitude=None,
        longitude=None,
        coordinates_manual=False,
    )
    data = edit_data(new)
    response = staff_client.post("/cms/snippets/clinics/clinic/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    clinic = Clinic.objects.get(external_id="new-1")
    assert clinic.has_coordinates and not clinic.coordinates_manual
