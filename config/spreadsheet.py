"""Spreadsheet-safe CSV: every CSV file the site writes goes through here.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is run as a formula when the file is
opened in Excel, LibreOffice or Google Sheets: ``=HYPERLINK(...)`` in a clinic name or a
newsletter email becomes a live link or worse in a staff member's spreadsheet (OWASP "CSV
injection"). Such cells are written with a leading apostrophe, which spreadsheets show as
text and do not display. Numbers the code itself writes (a negative longitude) are not
text typed by a person and are left alone.
"""

import codecs
import csv
from numbers import Number

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as written to a CSV cell, with a formula-like text neutralised."""
    if value is None or isinstance(value, bool | Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(values):
    return [safe_cell(value) for value in values]


class SafeWriter:
    """``csv.writer`` whose rows are made spreadsheet-safe."""

    def __init__(self, stream, *args, **kwargs):
        self._writer = csv.writer(stream, *args, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose values are made spreadsheet-safe (headers are ours)."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)


def writer(stream, *args, **kwargs):
    return SafeWriter(stream, *args, **kwargs)


class SafeRowsMixin:
    """For another library's CSV writer (one with ``writerow``): its rows made safe."""

    def writerow(self, row):
        return super().writerow(safe_row(row))


def safe_writer_class(writer_class):
    """``writer_class`` (e.g. Oscar's ``UnicodeCSVWriter``) writing spreadsheet-safe rows."""
    return type(f"Safe{writer_class.__name__}", (SafeRowsMixin, writer_class), {})


class SafeSpreadsheetExportMixin:
    """For Wagtail views with ``list_export`` (SpreadsheetExportMixin): CSV cells made safe.

    The XLSX export is already safe: Wagtail stores formula-like cells there as text.
    """

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


def unescape_cell(text):
    """The text a person typed, from a cell ``safe_cell`` wrote: so a file exported by the
    site imports back unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in "".join(FORMULA_PREFIXES):
        return text[1:]
    return text


def safe_export_view(view_class):
    """``view_class`` (a Wagtail index view with ``list_export``) with safe CSV cells."""
    return type(f"SafeExport{view_class.__name__}", (SafeSpreadsheetExportMixin, view_class), {})


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


def decode_csv_bytes(raw):
    """CSV bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Anything else is refused rather than guessed: a wrong guess would store "Montr\u00c3\u00a9al".
    """
    if isinstance(raw, str):
        return raw
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "The file claims to be UTF-16 but is not valid UTF-16."
            ) from error
    if b"\x00" in raw[:4096]:
        raise ImportFileError(
            "The file is not CSV text (it contains NUL bytes; UTF-16 without a byte-order "
            "mark?). Save it as “CSV UTF-8” and try again."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02X} on line {line}, "
            "probably Latin-1 or Windows-1252). Save it as “CSV UTF-8” and try again."
        ) from error


def header_problem(header, required, optional):
    """What is wrong with an uploaded CSV's ``header`` (names already normalised) for a file
    of ``required`` and ``optional`` columns, as one message; "" when nothing is."""
    expected = [*required, *optional]
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in expected]
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:10])
        problems.append(f"Unknown columns: {shown}.")
    if repeated:
        problems.append(f"Repeated columns: {', '.join(repeated)}.")
    if not problems:
        return ""
    return " ".join(problems) + f" Expected columns: {', '.join(expected)}."
