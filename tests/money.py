"""Reading the one money summary (templates/includes/money/summary.html) out of a page, so a
test can compare the figures that two pages show under the same names."""

import re
from html import unescape

SUMMARY = re.compile(r'<table class="money-summary"[^>]*>(.*?)</table>', re.S)
ROW = re.compile(r'<th scope="row">(.*?)</th>\s*<td data-money="[a-z]+">(.*?)</td>', re.S)
TAG = re.compile(r"<[^>]+>")


def _text(html):
    return " ".join(unescape(TAG.sub(" ", html)).split())


def money_rows(html):
    """{label: amount text} of the first money summary in ``html``, in page order:
    {"Subtotal": "$149.95", "Shipping (Standard)": "Free", "Sales tax 4%": "$6.00",
    "Total": "$155.95"}."""
    found = SUMMARY.search(html)
    assert found, "no money summary on the page"
    return {_text(label): _text(amount) for label, amount in ROW.findall(found.group(1))}
