"""Run localstripe (a fake Stripe API and Stripe.js) on loopback, in memory, for development
and tests: ``python -m devtools.localstripe_server --port 8420``.

``python -m localstripe`` listens on every interface and pickles its data to a fixed file in
/tmp shared by every instance on the machine; this keeps the fake on 127.0.0.1 and its data
in the process, and adds Stripe Tax's calculations (devtools/fake_stripe_tax.py) and the
Payment Element's PaymentMethods, server-side confirmation and Stripe.js
(devtools/fake_payment_methods.py, devtools/stripe_js/v3.js). Register
the site's webhook afterwards with
``manage.py localstripe_webhook``.
"""

import argparse

from devtools.fake_payment_methods import add_payment_methods
from devtools.fake_stripe_tax import add_tax_calculations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()

    from aiohttp import web
    from localstripe import resources

    resources.Store.dump_to_disk = lambda self: None
    _list_payment_intents_like_stripe(resources)
    from localstripe.server import app, auth_middleware, get_post_data

    add_tax_calculations(app, get_post_data)
    add_payment_methods(app, auth_middleware)
    web.run_app(app, host=args.host, port=args.port, print=None)


def _list_payment_intents_like_stripe(resources):
    """localstripe lists PaymentIntents oldest first and refuses ``created``; Stripe lists
    newest first and filters by ``created[gte]`` etc. (used by ``reconcile_payments``)."""
    original = resources.PaymentIntent._api_list_all.__func__
    comparisons = {
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }

    def list_all(cls, url, created=None, **kwargs):
        listed = original(cls, url, **kwargs)
        if isinstance(created, dict):
            for op, value in created.items():
                if op not in comparisons:
                    raise resources.UserError(400, "Bad created filter")
                bound = int(value)
                listed._list = [pi for pi in listed._list if comparisons[op](pi.created, bound)]
        listed._list.sort(key=lambda pi: pi.created, reverse=True)
        return listed

    resources.PaymentIntent._api_list_all = classmethod(list_all)


if __name__ == "__main__":
    main()
