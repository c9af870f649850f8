"""``{% receipt_outlook donation as outlook %}``: what the confirmation email says of the
gift's tax receipt (donations/receipt_links.py), its link made absolute for an email."""

from django import template

from ..receipt_links import absolute
from ..receipt_links import receipt_outlook as outlook_of

register = template.Library()


@register.simple_tag
def receipt_outlook(donation):
    outlook = outlook_of(donation)
    if outlook and outlook.get("address_url"):
        outlook = {**outlook, "address_url": absolute(outlook["address_url"])}
    return outlook
