"""Oscar's orders dashboard, forked to search by more fields and show support's records.

What changes (everything else is Oscar's):
- the order list searches by email (whole or part), phone, postcode and Stripe
  PaymentIntent id too, through ``support.selectors.search_orders``;
- the order page adds refunds, returns, emails sent and a timeline, and links to the
  refund form;
- changing an order (status, notes, shipping or payment events) needs ``change_order``;
  Oscar asks only ``view_order`` for a POST to the order page;
- dispatch and delivery (support/fulfilment.py) replace Oscar's free-form "create shipping
  event" on the order page and are bulk actions in the list; Dispatched and Delivered are
  never offered as plain status changes, so status and shipping events always agree.
"""

from oscar.apps.dashboard.orders import apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "support.dashboard.orders"
