"""CSV files of dispatches and deliveries: reading an upload into rows for
``fulfilment.apply_rows`` and writing its per-row report.

Columns (header row required, any order, case-insensitive):
- dispatched: ``order_number, carrier, tracking_number`` and optionally ``lines`` (partner
  SKUs separated by ";"; empty: the whole order) and ``dispatched_on`` (YYYY-MM-DD);
- delivered: ``order_number`` and optionally ``lines`` and ``delivered_on``.
The whole file is refused (nothing written) when it is not UTF-8 or UTF-16 with a BOM, not
CSV, empty, or has missing, unknown or repeated columns; otherwise each row is reported.
"""

import csv
import io

from config.spreadsheet import ImportFileError, SafeWriter, decode_csv_bytes, header_problem
from support import fulfilment

COLUMNS = {
    fulfilment.DISPATCHED: (
        ("order_number", "carrier", "tracking_number"),
        ("lines", "dispatched_on"),
    ),
    fulfilment.DELIVERED: (("order_number",), ("lines", "delivered_on")),
}
MAX_ROWS = 5000


class FileRefused(ValueError):
    """The file as a whole cannot be read; nothing was written."""


def read_rows(raw, kind):
    """``fulfilment.Row`` objects from CSV bytes, or FileRefused saying why."""
    required, optional = COLUMNS[kind]
    try:
        text = decode_csv_bytes(raw)
    except ImportFileError as exc:
        raise FileRefused(str(exc))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise FileRefused("The file is empty.")
        header = [h.strip().lower().replace(" ", "_") for h in header]
        if problem := header_problem(header, required, optional):
            raise FileRefused(problem)
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"The file has more than {MAX_ROWS} rows; split it.")
            if len(values) != len(header):
                rows.append(_BadRow(number, f"{len(values)} values for {len(header)} columns."))
                continue
            data = dict(zip(header, (v.strip() for v in values), strict=True))
            rows.append(
                fulfilment.Row(
                    row=number,
                    order_number=data["order_number"],
                    carrier=data.get("carrier", ""),
                    tracking_number=data.get("tracking_number", ""),
                    lines=data.get("lines", ""),
                    on=data.get("dispatched_on") or data.get("delivered_on") or "",
                )
            )
    except csv.Error as exc:
        raise FileRefused(f"The file is not valid CSV: {exc}.")
    if not rows:
        raise FileRefused("The file has a header but no rows.")
    return rows


class _BadRow(fulfilment.Row):
    """A row that could not be read; ``apply`` reports it without touching the order."""

    def __init__(self, row, problem):
        super().__init__(row=row, order_number="")
        self.problem = problem


def apply(raw, *, kind, by):
    """Read and apply an upload; a Report (``error`` set when the file was refused)."""
    fulfilment.require_permission(by, fulfilment.PERM_SHIP, action=f"mark orders {kind}")
    try:
        rows = read_rows(raw, kind)
    except FileRefused as exc:
        return fulfilment.Report(error=str(exc))
    good = [r for r in rows if not isinstance(r, _BadRow)]
    report = fulfilment.apply_rows(kind=kind, rows=good, by=by, source="csv")
    report.results += [
        fulfilment.RowResult(r.row, "", False, False, r.problem)
        for r in rows
        if isinstance(r, _BadRow)
    ]
    report.results.sort(key=lambda r: r.row)
    return report


def write_report(report, stream):
    writer = SafeWriter(stream)
    writer.writerow(["row", "order_number", "result", "message"])
    if report.error:
        writer.writerow(["", "", "file refused", report.error])
    for r in report.results:
        result = "refused" if not r.ok else ("recorded" if r.changed else "unchanged")
        writer.writerow([r.row, r.order_number, result, r.message])
