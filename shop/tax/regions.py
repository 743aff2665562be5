"""The places the store ships to, and how an address names its state or province.

Oscar's address form keeps the state as free text and does not require it, but it does
validate the ZIP or postal code, so the region is read from the postcode first (a ZIP code's
state from the ``zipcodes`` package, already used by the clinic locator; a Canadian postal
code's province from its first letter) and from the state field only when the postcode
gives none.
"""

from functools import lru_cache

from config.fields import ascii_digits

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip

REGIONS = {"US": US_STATES, "CA": CA_PROVINCES}
COUNTRY_NAMES = {"US": "United States", "CA": "Canada"}

# A Canadian postal code's first letter names its province (Canada Post's forward sortation
# areas); X is shared by the Northwest Territories and Nunavut (X0A-X0C).
CA_POSTAL_LETTERS = {
    "A": "NL", "B": "NS", "C": "PE", "E": "NB", "G": "QC", "H": "QC", "J": "QC",
    "K": "ON", "L": "ON", "M": "ON", "N": "ON", "P": "ON", "R": "MB", "S": "SK",
    "T": "AB", "V": "BC", "X": "NT", "Y": "YT",
}  # fmt: skip


def region_choices():
    """Grouped choices for a form: (country name, [(\"US-NY\", \"New York\"), ...])."""
    return [
        (COUNTRY_NAMES[country], [(f"{country}-{code}", name) for code, name in regions.items()])
        for country, regions in REGIONS.items()
    ]


def region_name(country, region):
    return REGIONS.get(country, {}).get(region, region)


def normalise_postcode(postcode):
    """Without spaces, upper-cased, with any script's digits as ASCII (config/fields.py)."""
    return "".join(ascii_digits(postcode).split()).upper()


@lru_cache(maxsize=4096)
def _state_of_zip(zip5):
    import zipcodes

    try:
        rows = zipcodes.matching(zip5)
    except (TypeError, ValueError):
        return ""
    return rows[0]["state"] if rows else ""


def region_from_postcode(country, postcode):
    code = normalise_postcode(postcode)
    if country == "US" and len(code) >= 5 and code[:5].isascii() and code[:5].isdigit():
        return _state_of_zip(code[:5])
    if country == "CA" and code[:1] in CA_POSTAL_LETTERS:
        if code[:3] in ("X0A", "X0B", "X0C"):
            return "NU"
        return CA_POSTAL_LETTERS[code[0]]
    return ""


def region_from_text(country, text):
    """'NY', 'ny', 'New York', 'Québec' -> the region code, or ''."""
    value = " ".join(str(text or "").replace(".", " ").split()).casefold()
    if not value:
        return ""
    value = value.replace("é", "e")
    for code, name in REGIONS.get(country, {}).items():
        if value in (code.casefold(), name.casefold()):
            return code
    return ""


def region_of(country, postcode, state_text=""):
    return region_from_postcode(country, postcode) or region_from_text(country, state_text)
