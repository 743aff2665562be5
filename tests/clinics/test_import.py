import csv
import io

import pytest
from django.core.management import CommandError, call_command

from clinics import importing, services
from clinics.models import Clinic, Service
from tests.clinics.factories import ClinicFactory

HEADER = (
    "external_id,name,address_line1,city,region,postal_code,country,"
    "latitude,longitude,phone,services,hours"
)
GOOD_AND_BAD = "\n".join(
    [
        HEADER,
        # 2: good, coordinates given
        "c-1,Midtown Clinic,1 W 34th St,New York,NY,10001,US,40.75,-73.99,212-555-0101,"
        '"TENS therapy; Physiotherapy","Mon 09:00-17:00; Tue 09:00-12:00,13:00-17:00; Sun closed"',
        # 3: good, geocoded from its ZIP code
        "c-2,Loop Clinic,1 State St,Chicago,IL,60602,US,,,312-555-0102,Massage therapy,",
        # 4: bad country
        "c-3,Paris Clinic,1 Rue,Paris,IDF,75001,FR,,,,,",
        # 5: impossible coordinates
        "c-4,Swapped,1 Main St,Boston,MA,02116,US,-71.07,42.35,,,",
        # 6: bad hours
        "c-5,Bad Hours,1 Main St,Boston,MA,02116,US,,,,,Mon 9am-5pm",
        # 7: Canadian postal code nobody can place, and no known city
        "c-6,Nowhere,1 Main St,Xqzzyville,ZZ,X0X 0X0,CA,,,,,",
        # 8: missing name
        "c-7,,1 Main St,Boston,MA,02116,US,,,,,",
    ]
)


def run_import(text, **kwargs):
    return importing.import_clinics_csv(text.encode("utf-8"), **kwargs)


@pytest.mark.django_db
def test_good_rows_import_and_bad_rows_are_reported():
    report = run_import(GOOD_AND_BAD)

    assert report.created == 2
    assert sorted(Clinic.objects.values_list("external_id", flat=True)) == ["c-1", "c-2"]
    assert report.rejected_rows == [4, 5, 6, 7, 8]
    fields = {(e.row, e.field) for e in report.rejected}
    assert {(4, "country"), (5, "latitude"), (6, "hours"), (7, "postal_code"), (8, "name")} <= (
        fields
    )
    assert "outside the US and Canada" in next(e.reason for e in report.rejected if e.row == 5)

    midtown = Clinic.objects.get(external_id="c-1")
    assert midtown.coordinates_manual
    assert sorted(s.name for s in midtown.services.all()) == ["Physiotherapy", "TENS therapy"]
    assert services.format_hours(midtown.opening_hours.all()) == (
        "Mon 09:00-17:00; Tue 09:00-12:00,13:00-17:00; Sun closed"
    )
    loop = Clinic.objects.get(external_id="c-2")
    assert not loop.coordinates_manual
    assert loop.latitude == pytest.approx(41.88, abs=0.05)


@pytest.mark.django_db
def test_import_twice_changes_nothing():
    run_import(GOOD_AND_BAD)
    before = list(Clinic.objects.order_by("pk").values())
    again = run_import(GOOD_AND_BAD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Clinic.objects.order_by("pk").values()) == before
    assert again.rejected_rows == [4, 5, 6, 7, 8]


@pytest.mark.django_db
def test_import_updates_by_external_id():
    run_import(GOOD_AND_BAD)
    report = run_import(GOOD_AND_BAD.replace("Midtown Clinic", "Midtown Clinic West"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Clinic.objects.get(external_id="c-1").name == "Midtown Clinic West"
    assert Clinic.objects.count() == 2


@pytest.mark.django_db
def test_export_then_import_changes_nothing():
    run_import(GOOD_AND_BAD)
    ClinicFactory(external_id="web-1", services=[Service.objects.create(name="Acupuncture")])
    buffer = io.StringIO()
    assert importing.export_clinics_csv(buffer) == 3
    before = list(Clinic.objects.order_by("pk").values())
    report = run_import(buffer.getvalue())
    assert report.ok
    assert report.unchanged == 3
    assert list(Clinic.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_duplicate_external_ids_in_a_file_reject_every_copy():
    rows = [
        HEADER,
        "dup,First,1 Main St,New York,NY,10001,US,,,,,",
        "dup,Second,2 Main St,New York,NY,10001,US,,,,,",
        "ok,Third,3 Main St,New York,NY,10001,US,,,,,",
    ]
    report = run_import("\n".join(rows))
    assert report.rejected_rows == [2, 3]
    assert all(e.field == "external_id" for e in report.rejected)
    assert list(Clinic.objects.values_list("external_id", flat=True)) == ["ok"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,city\nA,B\n", "Missing columns: external_id"),
        (HEADER + ",colour\n", "Unknown columns: 'colour'"),
        ("", "empty"),
    ],
)
def test_wrong_columns_reject_the_whole_file(text, message):
    report = run_import(text)
    assert message in report.summary()
    assert not Clinic.objects.exists()


@pytest.mark.django_db
def test_latin1_file_is_refused_with_a_clear_message():
    text = HEADER + "\nc-1,Clinique Montréal,1 Rue,Montréal,QC,H2J 2L3,CA,45.5,-73.6,,,\n"
    report = importing.import_clinics_csv(text.encode("latin-1"))
    assert "not UTF-8" in report.summary()
    assert "line 2" in report.summary()
    assert not Clinic.objects.exists()


@pytest.mark.django_db
def test_utf16_with_bom_is_read():
    text = HEADER + "\nc-1,Clinique Montréal,1 Rue,Montréal,QC,H2J 2L3,CA,45.5,-73.6,,,\n"
    report = importing.import_clinics_csv(text.encode("utf-16"))
    assert report.ok, report.summary()
    assert Clinic.objects.get().city == "Montréal"


@pytest.mark.django_db
def test_utf16_without_bom_is_refused():
    text = HEADER + "\nc-1,Clinic,1 Rue,Toronto,ON,M5V 1L9,CA,43.6,-79.4,,,\n"
    report = importing.import_clinics_csv(text.encode("utf-16-le"))
    assert report.file_errors
    assert not Clinic.objects.exists()


@pytest.mark.django_db
def test_row_with_too_many_values_is_rejected_not_shifted():
    text = HEADER + "\nc-1,Clinic,1 Main St,New York,NY,10001,US,40.7,-73.9,,,,surplus\n"
    report = run_import(text)
    assert report.rejected_rows == [2]
    assert not Clinic.objects.exists()


@pytest.mark.django_db
def test_a_failing_row_leaves_no_partial_clinic(monkeypatch):
    def explode(names):
        raise RuntimeError("service table unavailable")

    monkeypatch.setattr(services, "_services_for", explode)
    with pytest.raises(RuntimeError):
        run_import(HEADER + "\nc-1,Clinic,1 Main St,New York,NY,10001,US,40.7,-73.9,,TENS,\n")
    assert not Clinic.objects.exists()


@pytest.mark.django_db
def test_command_shows_report_and_fails_when_rows_are_rejected(tmp_path):
    path = tmp_path / "clinics.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    report_path = tmp_path / "rejected.csv"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="5 rows rejected"):
        call_command("import_clinics", str(path), report=str(report_path), stdout=out, stderr=err)
    assert "2 created" in out.getvalue()
    assert "row 4: country" in err.getvalue()
    rows = list(csv.reader(report_path.open(encoding="utf-8")))
    assert rows[0] == ["row", "field", "reason"]
    assert {row[0] for row in rows[1:]} == {"4", "5", "6", "7", "8"}


@pytest.mark.django_db
def test_command_refuses_a_file_with_wrong_columns(tmp_path):
    path = tmp_path / "clinics.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Missing columns"):
        call_command("import_clinics", str(path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_export_command_writes_the_import_format(tmp_path):
    ClinicFactory(external_id="x-1", name="Exported")
    path = tmp_path / "out.csv"
    call_command("export_clinics", str(path), stderr=io.StringIO())
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["external_id"] == "x-1"
    assert rows[0]["hours"].startswith("Mon 09:00-17:00")
    assert list(rows[0]) == importing.COLUMNS


@pytest.mark.parametrize(
    "text",
    [
        "Mon",
        "Funday 09:00-17:00",
        "Mon 17:00-17:00",
        "Mon 09:00-17:00; Mon closed",
        "Mon 25:00-26:00",
    ],
)
def test_bad_hours_text_is_refused(text):
    with pytest.raises(ValueError):
        services.parse_hours(text)
