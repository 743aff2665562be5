"""Timed offers and vouchers change prices with no save at all: a copy that shows prices
must not outlive the next start or end of one.

The next such moment is computed from every open offer and every voucher (a superset of
those applying to one page, and two indexed queries) and kept in the store with the tag
``offers``, so an edit to any offer or voucher recomputes it.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from oscar.core.loading import get_model

from . import tags as t
from .cache import lookup, set_copy

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

_KEY = "pagecache:next-offer-change"


def _next_change(now):
    moments = []
    offers = ConditionalOffer.objects.exclude(status=ConditionalOffer.CONSUMED)
    vouchers = Voucher.objects.all()
    for queryset in (offers, vouchers):
        for field in ("start_datetime", "end_datetime"):
            found = queryset.filter(Q(**{f"{field}__gt": now})).aggregate(first=Min(field))
            if found["first"] is not None:
                moments.append(found["first"])
    return min(moments) if moments else None


def seconds_to_next_offer_change():
    """Seconds until the next offer or voucher starts or ends (``PAGE_CACHE_SECONDS`` when
    none is due sooner). At least one second, so a page is kept at all."""
    now = timezone.now()
    moment, clock = lookup(_KEY)
    if moment is None:
        with t.recording(isolated=True):  # not part of the page being rendered
            moment = _next_change(now) or now + timedelta(days=1)
        seconds = int((moment - now).total_seconds())
        set_copy(_KEY, moment, {t.OFFERS}, max(1, min(seconds, 86400)), clock)
    seconds = (moment - now).total_seconds()
    return max(1, min(settings.PAGE_CACHE_SECONDS, int(seconds)))
