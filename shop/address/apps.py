"""Oscar's address app, forked only to replace the address book's form (forms.py).

The store ships to the United States and Canada: the form asks for a state or province
from a list and checks it against the ZIP or postal code (shop/address/forms.py).
"""

import oscar.apps.address.apps as apps


class AddressConfig(apps.AddressConfig):
    name = "shop.address"
