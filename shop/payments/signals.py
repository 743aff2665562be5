"""Signals the payments code sends, so that apps built on the store (support) can act on
money events without the store importing them: the dependency runs one way.

``stripe_refund_reported``
    Sent when Stripe reports a refund the store may not know of (``charge.refunded``, e.g. a
    refund made in Stripe's dashboard), inside the transaction that marks the webhook event
    processed. ``charge`` is the event's charge object as a dict. A receiver that raises
    rolls the transaction back, so the event is processed again on the next delivery.
    Connected by ``support`` (support/signals.py) to record the refund on the order.
"""

from django.dispatch import Signal

stripe_refund_reported = Signal()
