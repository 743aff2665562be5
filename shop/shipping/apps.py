"""Oscar's shipping app, forked only to replace the Repository (see repository.py).

Oscar ships a single free method; this store offers free standard shipping over a threshold
and paid express shipping, defined in code (methods.py) so prices live in version control.
"""

import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    name = "shop.shipping"
