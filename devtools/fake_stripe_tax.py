"""Stripe Tax's Tax Calculation API for localstripe, which has none: ``POST
/v1/tax/calculations`` answered offline from the small rate table below, in Stripe's response
shape (the fields shop/payments/stripe_gateway.py reads, and the usual ones around them).

Each tax is worked out on a line's whole amount and rounded half up to the cent, as Stripe
does. The table is deliberately not the store's: a test that gets these figures knows the
quote came from here and not from the store's own table.
"""

import secrets
import time
from decimal import ROUND_HALF_UP, Decimal

from aiohttp import web

NONTAXABLE = "txcd_00000000"
MANHATTAN = ("100", "101", "102")  # ZIP prefixes (str.startswith takes one or a tuple)

# (country, state): (shipping taxed, [(postcode prefix, level, jurisdiction, tax type, %)])
RATES = {
    ("US", "NY"): (
        True,
        [
            ("", "state", "New York", "sales_tax", "4"),
            (MANHATTAN, "city", "New York City", "sales_tax", "4.5"),
            (MANHATTAN, "district", "Metropolitan Commuter Transportation District",
             "sales_tax", "0.375"),
        ],
    ),
    ("US", "CA"): (
        False,
        [
            ("", "state", "California", "sales_tax", "7.25"),
            ("900", "district", "Los Angeles County", "sales_tax", "2.5"),
        ],
    ),
    ("US", "IL"): (
        False,
        [
            ("", "state", "Illinois", "sales_tax", "6.25"),
            ("606", "county", "Cook County", "sales_tax", "1.75"),
            ("606", "city", "Chicago", "sales_tax", "1.25"),
            ("606", "district", "Regional Transportation Authority", "sales_tax", "1"),
        ],
    ),
    ("US", "TX"): (True, [("", "state", "Texas", "sales_tax", "6.25")]),
    ("CA", "ON"): (True, [("", "country", "Canada", "hst", "13")]),
    ("CA", "QC"): (
        True,
        [("", "country", "Canada", "gst", "5"), ("", "province", "Quebec", "qst", "9.975")],
    ),
}  # fmt: skip


def _error(message):
    error = {"type": "invalid_request_error", "message": message}
    return web.json_response({"error": error}, status=400)


def _taxes_for(country, state, postcode):
    shipping, rows = RATES.get((country, state), (False, []))
    postcode = postcode.replace(" ", "").upper()
    return shipping, [row for row in rows if postcode.startswith(row[0])]


def _breakdown(amount, taxes, country, state, taxable):
    parts = []
    for _prefix, level, jurisdiction, tax_type, rate in taxes:
        tax = (Decimal(amount) * Decimal(rate) / 100).quantize(Decimal(1), ROUND_HALF_UP)
        parts.append(
            {
                "amount": int(tax) if taxable else 0,
                "jurisdiction": {
                    "country": country,
                    "display_name": jurisdiction,
                    "level": level,
                    "state": state,
                },
                "sourcing": "destination",
                "tax_rate_details": {
                    "display_name": tax_type.replace("_", " ").title(),
                    "percentage_decimal": rate,
                    "tax_type": tax_type,
                },
                "taxability_reason": "standard_rated" if taxable else "product_exempt",
                "taxable_amount": amount if taxable else 0,
            }
        )
    return parts


def _summary(parts, country, state):
    """The calculation's own ``tax_breakdown``: the parts added up per tax and rate."""
    found = {}
    for part in parts:
        details = part["tax_rate_details"]
        key = (details["tax_type"], details["percentage_decimal"])
        entry = found.setdefault(
            key,
            {
                "amount": 0,
                "inclusive": False,
                "tax_rate_details": {
                    "country": country,
                    "percentage_decimal": details["percentage_decimal"],
                    "state": state,
                    "tax_type": details["tax_type"],
                },
                "taxability_reason": part["taxability_reason"],
                "taxable_amount": 0,
            },
        )
        entry["amount"] += part["amount"]
        entry["taxable_amount"] += part["taxable_amount"]
    return list(found.values())


def calculate(data):
    """The calculation object for the request's (unflattened) form data, or a message."""
    address = (data.get("customer_details") or {}).get("address") or {}
    country, state = address.get("country", ""), address.get("state", "")
    if not country or (country in ("US", "CA") and not address.get("postal_code")):
        return None, "customer_details[address] needs a country and a postal_code."
    shipping_taxed, taxes = _taxes_for(country, state, address.get("postal_code", ""))
    currency = data.get("currency", "usd").lower()
    lines, all_parts = [], []
    for item in data.get("line_items") or []:
        amount = int(item.get("amount", 0))
        taxable = item.get("tax_code") != NONTAXABLE
        parts = _breakdown(amount, taxes, country, state, taxable)
        all_parts += parts
        lines.append(
            {
                "id": f"tax_li_{secrets.token_hex(8)}",
                "object": "tax.calculation_line_item",
                "amount": amount,
                "amount_tax": sum(part["amount"] for part in parts),
                "livemode": False,
                "product": None,
                "quantity": int(item.get("quantity", 1)),
                "reference": item.get("reference", ""),
                "tax_behavior": item.get("tax_behavior", "exclusive"),
                "tax_breakdown": parts,
                "tax_code": item.get("tax_code", "txcd_99999999"),
            }
        )
    shipping_amount = int((data.get("shipping_cost") or {}).get("amount", 0))
    shipping_parts = _breakdown(shipping_amount, taxes, country, state, shipping_taxed)
    all_parts += shipping_parts
    goods = sum(line["amount"] for line in lines)
    tax = sum(part["amount"] for part in all_parts)
    now = int(time.time())
    return {
        "id": f"taxcalc_{secrets.token_hex(12)}",
        "object": "tax.calculation",
        "amount_total": goods + shipping_amount + tax,
        "currency": currency,
        "customer": None,
        "customer_details": {
            "address": address,
            "address_source": (data.get("customer_details") or {}).get("address_source"),
            "ip_address": None,
            "tax_ids": [],
            "taxability_override": "none",
        },
        "expires_at": now + 90 * 24 * 3600,
        "line_items": {
            "object": "list",
            "data": lines,
            "has_more": False,
            "url": "/v1/tax/calculations/line_items",
        },
        "livemode": False,
        "shipping_cost": {
            "amount": shipping_amount,
            "amount_tax": sum(part["amount"] for part in shipping_parts),
            "tax_behavior": "exclusive",
            "tax_breakdown": shipping_parts,
            "tax_code": "txcd_92010001",
        },
        "tax_amount_exclusive": tax,
        "tax_amount_inclusive": 0,
        "tax_breakdown": _summary(all_parts, country, state),
        "tax_date": now,
    }, ""


def add_tax_calculations(app, get_post_data):
    """Answer ``POST /v1/tax/calculations`` on localstripe's app (before it starts);
    ``get_post_data`` is localstripe's reader of Stripe's nested form encoding."""

    async def create(request):
        calculation, problem = calculate(await get_post_data(request) or {})
        if calculation is None:
            return _error(problem)
        return web.json_response(calculation)

    app.router.add_post("/v1/tax/calculations", create)
