"""The parcel carriers the store ships with: names, tracking-number rules and tracking links.

The only module that knows carriers' URL formats. Tracking numbers are compared and stored
normalised (upper case, no spaces or dashes), as the carriers print them in several ways
("1z 999 aa1 01 2345 6784" and "1Z999AA10123456784" are the same parcel).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    tracking_url: str  # "{number}" is replaced by the normalised tracking number
    pattern: str  # what a normalised tracking number of this carrier looks like
    example: str


CARRIERS = {
    c.code: c
    for c in (
        Carrier(
            "usps",
            "USPS",
            "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
            r"(9\d{15,25}|[A-Z]{2}\d{9}US|\d{20,22})",
            "9400 1000 0000 0000 0000 00",
        ),
        Carrier(
            "ups",
            "UPS",
            "https://www.ups.com/track?loc=en_US&tracknum={number}",
            r"(1Z[0-9A-Z]{16}|T\d{10}|\d{9}|\d{12})",
            "1Z 999 AA1 01 2345 6784",
        ),
        Carrier(
            "fedex",
            "FedEx",
            "https://www.fedex.com/fedextrack/?trknbr={number}",
            r"(\d{12}|\d{15}|\d{20}|\d{22})",
            "1234 5678 9012",
        ),
        Carrier(
            "canadapost",
            "Canada Post",
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
            r"(\d{12}|\d{16}|[A-Z]{2}\d{9}CA)",
            "1234 5678 9012 3456",
        ),
        Carrier(
            "dhl",
            "DHL Express",
            "https://www.dhl.com/us-en/home/tracking/tracking-express.html?tracking-id={number}",
            r"\d{10,11}",
            "12345 67890",
        ),
    )
}

CHOICES = [(c.code, c.name) for c in CARRIERS.values()]

_SEPARATORS = re.compile(r"[\s\-\.]+")


class TrackingNumberError(ValueError):
    """A tracking number or carrier that cannot be right; the message is for staff."""


def find(value):
    """The carrier named by code or name, case-insensitively ("UPS", "ups", "Canada Post")."""
    key = re.sub(r"[\s_\-]+", "", (value or "").strip().lower())
    for carrier in CARRIERS.values():
        if key in (carrier.code, re.sub(r"\s+", "", carrier.name.lower())):
            return carrier
    raise TrackingNumberError(
        f'Unknown carrier "{(value or "").strip()[:40]}"; use one of '
        + ", ".join(c.name for c in CARRIERS.values())
        + "."
    )


def normalise(carrier, number):
    """``number`` in the carrier's own form, or TrackingNumberError saying what is wrong."""
    cleaned = _SEPARATORS.sub("", (number or "")).upper()
    if not cleaned:
        raise TrackingNumberError("Enter the tracking number.")
    if not re.fullmatch(r"[0-9A-Z]+", cleaned):
        raise TrackingNumberError("A tracking number has only letters and digits.")
    if not re.fullmatch(carrier.pattern, cleaned):
        raise TrackingNumberError(
            f"{cleaned[:40]} doesn't look like a {carrier.name} tracking number "
            f"(for example {carrier.example})."
        )
    return cleaned


def tracking_url(carrier_code, number):
    carrier = CARRIERS.get(carrier_code)
    if carrier is None or not number:
        return ""
    return carrier.tracking_url.format(number=quote(number, safe=""))


def name(carrier_code):
    carrier = CARRIERS.get(carrier_code)
    return carrier.name if carrier else carrier_code
