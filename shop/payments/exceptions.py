"""What the payment services raise; ``str(exc)`` is written for the shopper."""


class PaymentUnavailable(Exception):
    """Card payment is switched off (no Stripe keys): say so, do not fail."""


class PaymentRefused(Exception):
    """The payment cannot go ahead; ``str(exc)`` is the message for the shopper."""


class OutOfStock(PaymentRefused):
    pass
