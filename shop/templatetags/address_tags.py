"""How the store prints addresses and phone numbers (templates/includes/address.html)."""

from django import template
from phonenumber_field.phonenumber import to_python

register = template.Library()


@register.filter
def phone(number):
    """A stored phone number (Oscar keeps E.164, ``+12125550100``) as a shopper writes it:
    ``(212) 555-0100`` in the US and Canada, international format elsewhere; what is not a
    valid number is shown as it was typed."""
    if not number:
        return ""
    parsed = to_python(number)
    if parsed is None or not parsed.is_valid():
        return str(number)
    return parsed.as_national if parsed.country_code == 1 else parsed.as_international
