"""The statewide and provincial base rates the rate table starts with (README, "Sales tax").

Compiled on 2026-12-02: US statewide base rates as published by the states' revenue
departments and tabulated by the Sales Tax Institute ("State Sales Tax Rates"); Canadian
GST/HST from the Canada Revenue Agency's "GST/HST rates" page, QST from Revenu Québec,
PST/RST from the provincial finance ministries. Local (county, city) rates are not seeded;
shop managers add them with a postcode prefix. No row means no tax: Alaska, Delaware,
Montana, New Hampshire and Oregon have no statewide sales tax.

Used by the data migration tax/0002 and by ``load_demo`` (tests that flush the database lose
migration data).
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
