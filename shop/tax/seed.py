"""The statewide and provincial base rates the rate table starts with (README, "Sales tax").

Compiled on 2026-12-02: US statewide base rates as published by the states' revenue
departments and tabulated by the Sales Tax Institute ("State Sales Tax Rates"); Canadian
GST/HST from the Canada Revenue Agency's "GST/HST rates" page, QST from Revenu Québec,
PST/RST from the provincial finance ministries. No row means no tax: Alaska, Delaware,
Montana, New Hampshire and Oregon have no statewide sales tax.

Local rates (``LOCAL_RATES``) are seeded for the ten largest US cities only, each local tax
under its own name so the shopper sees every tax that makes up the combined rate; shop
managers add other places with a postcode prefix. A city is matched by three-digit ZIP
prefixes, which is an approximation: a prefix's few ZIP codes in a neighboring town or an
unincorporated area are charged the city's rate, and the city's ZIP codes under other
prefixes only the state's (see README, "Sales tax").

Used by the data migrations tax/0002 and tax/0004 and by ``load_demo`` (tests that flush the
database lose migration data).
"""

from decimal import Decimal

from .models import TaxRate as CurrentTaxRate

US_SOURCE = "State revenue department / Sales Tax Institute state rates table, 2026-12-02"
CA_GST_SOURCE = "Canada Revenue Agency, GST/HST rates, 2026-12-02"

# state: (statewide rate %, shipping charges taxable when stated separately)
US_RATES = {
    "AL": ("4", False), "AZ": ("5.6", False), "AR": ("6.5", True), "CA": ("7.25", False),
    "CO": ("2.9", False), "CT": ("6.35", True), "DC": ("6.5", True), "FL": ("6", False),
    "GA": ("4", True), "HI": ("4", True), "ID": ("6", False), "IL": ("6.25", False),
    "IN": ("7", True), "IA": ("6", False), "KS": ("6.5", True), "KY": ("6", True),
    "LA": ("5", False), "ME": ("5.5", False), "MD": ("6", False), "MA": ("6.25", False),
    "MI": ("6", True), "MN": ("6.875", True), "MS": ("7", True), "MO": ("4.225", False),
    "NE": ("5.5", True), "NV": ("6.85", False), "NJ": ("6.625", True), "NM": ("4.875", True),
    "NY": ("4", True), "NC": ("4.75", True), "ND": ("5", True), "OH": ("5.75", True),
    "OK": ("4.5", False), "PA": ("6", True), "RI": ("7", True), "SC": ("6", True),
    "SD": ("4.2", True), "TN": ("7", True), "TX": ("6.25", True), "UT": ("6.1", False),
    "VT": ("6", True), "VA": ("5.3", False), "WA": ("6.5", True), "WV": ("6", True),
    "WI": ("5", True), "WY": ("4", False),
}  # fmt: skip

# province: [(name, rate %, shipping taxable, source)]
CA_RATES = {
    "AB": [("GST", "5", True, CA_GST_SOURCE)],
    "BC": [
        ("GST", "5", True, CA_GST_SOURCE),
        ("PST", "7", False, "B.C. Ministry of Finance, PST, 2026-12-02"),
    ],
    "MB": [
        ("GST", "5", True, CA_GST_SOURCE),
        ("RST", "7", True, "Manitoba Finance, retail sales tax, 2026-12-02"),
    ],
    "NB": [("HST", "15", True, CA_GST_SOURCE)],
    "NL": [("HST", "15", True, CA_GST_SOURCE)],
    "NS": [("HST", "14", True, CA_GST_SOURCE)],
    "NT": [("GST", "5", True, CA_GST_SOURCE)],
    "NU": [("GST", "5", True, CA_GST_SOURCE)],
    "ON": [("HST", "13", True, CA_GST_SOURCE)],
    "PE": [("HST", "15", True, CA_GST_SOURCE)],
    "QC": [
        ("GST", "5", True, CA_GST_SOURCE),
        ("QST", "9.975", True, "Revenu Québec, QST, 2026-12-02"),
    ],
    "SK": [
        ("GST", "5", True, CA_GST_SOURCE),
        ("PST", "6", True, "Saskatchewan Finance, PST, 2026-12-02"),
    ],
    "YT": [("GST", "5", True, CA_GST_SOURCE)],
}


# City: (state, ZIP prefixes, [(tax name, rate %)], source). The state's own rate comes from
# US_RATES; the local taxes here add up with it to the combined rate in the comment. Whether
# shipping is taxed follows the state's rule. Compiled 2026-12-06 offline, from the rates in
# force in 2025 as the authorities named publish them; check them before going live.
LOCAL_RATES = {
    # 4 + 4.5 + 0.375 = 8.875 in all five boroughs (110 is shared with Nassau County).
    "New York City": (
        "NY",
        ("100", "101", "102", "103", "104", "111", "112", "113", "114", "116"),
        [("New York City sales tax", "4.5"), ("MCTD sales tax", "0.375")],
        "NYS Dept. of Taxation and Finance, Publication 718 (rates by jurisdiction), 2025",
    ),
    # 7.25 + 2.5 = 9.75 (Measure A raised the county's district taxes on 2025-04-01).
    "Los Angeles": (
        "CA",
        ("900",),
        [("Los Angeles County district tax", "2.5")],
        "CDTFA, California City & County Sales & Use Tax Rates, effective 2025-04-01",
    ),
    # 6.25 + 1.75 + 1.25 + 1 = 10.25
    "Chicago": (
        "IL",
        ("606",),
        [("Cook County tax", "1.75"), ("City of Chicago tax", "1.25"), ("RTA tax", "1")],
        "Illinois Dept. of Revenue, Tax Rate Database (Chicago, Cook County, RTA), 2025",
    ),
    # 6.25 + 1 + 1 = 8.25
    "Houston": (
        "TX",
        ("770",),
        [("City of Houston tax", "1"), ("Houston METRO tax", "1")],
        "Texas Comptroller, Local Sales and Use Tax Rates (Houston, Houston MTA), 2025",
    ),
    # 5.6 + 0.7 + 2.3 = 8.6
    "Phoenix": (
        "AZ",
        ("850",),
        [("Maricopa County tax", "0.7"), ("City of Phoenix tax", "2.3")],
        "Arizona Dept. of Revenue, TPT rate table (Phoenix, Maricopa County), 2025",
    ),
    # 6 + 2 = 8
    "Philadelphia": (
        "PA",
        ("191",),
        [("Philadelphia sales tax", "2")],
        "Pennsylvania Dept. of Revenue, Philadelphia local sales tax, 2025",
    ),
    # 6.25 + 1.25 + 0.25 + 0.5 = 8.25
    "San Antonio": (
        "TX",
        ("782",),
        [
            ("City of San Antonio tax", "1.25"),
            ("San Antonio ATD tax", "0.25"),
            ("VIA Metropolitan Transit tax", "0.5"),
        ],
        "Texas Comptroller, Local Sales and Use Tax Rates (San Antonio, ATD, VIA MTA), 2025",
    ),
    # 7.25 + 0.5 = 7.75
    "San Diego": (
        "CA",
        ("921",),
        [("San Diego County district tax", "0.5")],
        "CDTFA, California City & County Sales & Use Tax Rates (San Diego, TransNet), 2025",
    ),
    # 6.25 + 1 + 1 = 8.25
    "Dallas": (
        "TX",
        ("752",),
        [("City of Dallas tax", "1"), ("DART tax", "1")],
        "Texas Comptroller, Local Sales and Use Tax Rates (Dallas, Dallas MTA), 2025",
    ),
    # 6 + 1.5 = 7.5 (Florida's surtax applies to the first $5,000 of an item only).
    "Jacksonville": (
        "FL",
        ("322",),
        [("Duval County surtax", "1.5")],
        "Florida Dept. of Revenue, Form DR-15DSS discretionary sales surtax rates, 2025",
    ),
}


def seed_rates(TaxRate=None):
    """Add the rows that are missing (a deleted row comes back); changed rows are kept."""
    TaxRate = TaxRate or CurrentTaxRate
    for state, (rate, shipping) in US_RATES.items():
        TaxRate.objects.get_or_create(
            country="US",
            region=state,
            postcode_prefix="",
            name="Sales tax",
            defaults={"rate": Decimal(rate), "shipping_taxable": shipping, "source": US_SOURCE},
        )
    for province, taxes in CA_RATES.items():
        for name, rate, shipping, source in taxes:
            TaxRate.objects.get_or_create(
                country="CA",
                region=province,
                postcode_prefix="",
                name=name,
                defaults={"rate": Decimal(rate), "shipping_taxable": shipping, "source": source},
            )
    seed_local_rates(TaxRate)


def seed_local_rates(TaxRate=None):
    """Add the missing local rows only (tax/0004 brings them to existing databases without
    bringing back a statewide row a manager deleted)."""
    TaxRate = TaxRate or CurrentTaxRate
    for state, prefixes, taxes, source in LOCAL_RATES.values():
        shipping = US_RATES[state][1]
        for prefix in prefixes:
            for name, rate in taxes:
                TaxRate.objects.get_or_create(
                    country="US",
                    region=state,
                    postcode_prefix=prefix,
                    name=name,
                    defaults={
                        "rate": Decimal(rate),
                        "shipping_taxable": shipping,
                        "source": f"{source} (ZIP codes {prefix}xx)",
                    },
                )
