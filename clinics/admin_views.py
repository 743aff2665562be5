"""The Wagtail admin page for CSV import and export; the work is in ``clinics.importing``."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from clinics import importing
from clinics.forms import ClinicImportForm


def can_import(user):
    return user.has_perms(["clinics.add_clinic", "clinics.change_clinic"])


def import_clinics_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = ClinicImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = importing.import_clinics_csv(form.cleaned_data["file"].read())
            if report.file_errors:
                messages.error(request, report.summary())
            elif report.rejected:
                messages.warning(request, report.summary())
            else:
                messages.success(request, report.summary())
    else:
        form = ClinicImportForm()
    status = 400 if report is not None and report.file_errors else 200
    return render(
        request,
        "clinics/admin/import.html",
        {"form": form, "report": report, "columns": importing.COLUMNS},
        status=status,
    )


def export_clinics_view(request):
    if not request.user.has_perm("clinics.view_clinic") and not can_import(request.user):
        raise PermissionDenied
    buffer = io.StringIO()
    importing.export_clinics_csv(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"clinics-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
