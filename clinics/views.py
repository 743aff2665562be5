"""The locator page, clinic pages and the JSON API. Thin: the search is
``clinics.selectors.search_clinics``, shared so page and API always agree.

Pages are cached whole for anonymous visitors (pagecache), keyed on the full URL, so
nothing here depends on the visitor: the "use my location" coordinates arrive as GET
parameters like any other search.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from clinics.models import Clinic
from clinics.selectors import search_clinics
from config.jsonscript import script_json
from config.security import canonical_url

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"


def map_settings():
    return {
        "tile_url": getattr(settings, "CLINICS_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "CLINICS_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
    }


def marker(clinic, distance=""):
    return {
        "name": clinic.name,
        "url": clinic.get_absolute_url(),
        "lat": clinic.latitude,
        "lng": clinic.longitude,
        "address": clinic.one_line_address,
        "distance": distance,
    }


# "Open now" on a cached page is at most this many seconds old (the page cache and browsers
# honour max-age), instead of the page cache's usual lifetime.
OPEN_NOW_MAX_AGE = 60


def _fresh_for_open_now(response):
    patch_cache_control(response, max_age=OPEN_NOW_MAX_AGE)
    return response


@require_GET
def locator(request):
    result = search_clinics(request.GET)
    markers = [
        marker(hit.clinic, hit.distance_display)
        for hit in result.hits
        if hit.clinic.has_coordinates
    ]
    context = {
        "result": result,
        "form": result.form,
        "markers": markers,
        "origin": (
            {"lat": result.origin.latitude, "lng": result.origin.longitude}
            if result.origin
            else None
        ),
        **map_settings(),
    }
    response = render(
        request, "clinics/locator.html", context, status=400 if result.errors else 200
    )
    return _fresh_for_open_now(response)


def structured_data(request, clinic):
    """schema.org MedicalClinic JSON-LD, escaped for a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": canonical_url(clinic.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(filter(None, [clinic.address_line1, clinic.address_line2])),
            "addressLocality": clinic.city,
            "addressRegion": clinic.region,
            "postalCode": clinic.postal_code,
            "addressCountry": clinic.country,
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{row.get_weekday_display()}",
                "opens": f"{row.opens:%H:%M}",
                "closes": f"{row.closes:%H:%M}",
            }
            for row in clinic.opening_hours.all()
            if not row.closed and row.opens and row.closes
        ],
    }
    if clinic.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": clinic.latitude,
            "longitude": clinic.longitude,
        }
    if clinic.phone:
        data["telephone"] = clinic.phone
    if clinic.email:
        data["email"] = clinic.email
    if clinic.website:
        data["sameAs"] = clinic.website
    services = [service.name for service in clinic.services.all()]
    if services:
        data["availableService"] = [{"@type": "MedicalTherapy", "name": name} for name in services]
    return script_json(data)


@require_GET
def clinic_detail(request, slug):
    clinic = get_object_or_404(
        Clinic.objects.prefetch_related("opening_hours", "services"), slug=slug, is_active=True
    )
    context = {
        "clinic": clinic,
        "markers": [marker(clinic)] if clinic.has_coordinates else [],
        "json_ld": structured_data(request, clinic),
        **map_settings(),
    }
    return _fresh_for_open_now(render(request, "clinics/clinic_detail.html", context))


def _page_url(request, page):
    params = request.GET.copy()
    params["page"] = page
    return f"{request.path}?{params.urlencode()}"


def serialize_clinic(request, clinic):
    return {
        "id": clinic.pk,
        "external_id": clinic.external_id,
        "name": clinic.name,
        "slug": clinic.slug,
        "url": canonical_url(clinic.get_absolute_url()),
        "address": {
            "line1": clinic.address_line1,
            "line2": clinic.address_line2,
            "city": clinic.city,
            "region": clinic.region,
            "postal_code": clinic.postal_code,
            "country": clinic.country,
        },
        "latitude": clinic.latitude,
        "longitude": clinic.longitude,
        "phone": clinic.phone,
        "email": clinic.email,
        "website": clinic.website,
        "services": [{"slug": s.slug, "name": s.name} for s in clinic.services.all()],
        "hours": [
            {
                "weekday": row.weekday,
                "opens": None if row.closed or not row.opens else f"{row.opens:%H:%M}",
                "closes": None if row.closed or not row.closes else f"{row.closes:%H:%M}",
                "closed": row.closed,
            }
            for row in clinic.opening_hours.all()
        ],
        "today": clinic.todays_hours_display(),
        "open_now": clinic.is_open_now(),
        "directions_url": clinic.directions_url,
    }


@require_GET
def api(request):
    """JSON twin of the locator page; parameters and response are in the README."""
    result = search_clinics(request.GET)
    if result.errors:
        errors = {name: list(messages) for name, messages in result.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse({"errors": errors, "message": first}, status=400)
    form = result.form.cleaned_data
    body = {
        "query": {
            "q": form["q"],
            "lat": form["lat"],
            "lng": form["lng"],
            "radius": form["radius"],
            "radius_unit": "mi",
            "unit": result.unit,
            "service": form["service"].slug if form["service"] else None,
            "page": form["page"],
        },
        "origin": (
            {
                "label": result.origin.label,
                "latitude": result.origin.latitude,
                "longitude": result.origin.longitude,
            }
            if result.origin
            else None
        ),
        "message": result.message,
        "count": result.total,
        "page": result.page,
        "num_pages": result.num_pages,
        "next": _page_url(request, result.page + 1) if result.has_next else None,
        "previous": _page_url(request, result.page - 1) if result.has_previous else None,
        "results": [
            {
                **serialize_clinic(request, hit.clinic),
                "distance": round(hit.distance, 2),
                "distance_unit": hit.unit,
                "distance_km": round(hit.distance_km, 3),
                "distance_mi": round(hit.distance_mi, 3),
            }
            for hit in result.hits
        ],
    }
    status = 200 if result.searched else 400
    if not result.searched:
        body["errors"] = {"q": [result.message]}
    return JsonResponse(body, status=status)
