"""Run localstripe (a fake Stripe API and Stripe.js) on loopback, in memory, for development
and tests: ``python -m shop.payments.localstripe_server --port 8420``.

``python -m localstripe`` listens on every interface and pickles its data to a fixed file in
/tmp shared by every instance on the machine; this keeps the fake on 127.0.0.1 and its data
in the process. Register the site's webhook afterwards with
``manage.py localstripe_webhook``.
"""

import argparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    args = parser.parse_args()

    from aiohttp import web
    from localstripe import resources

    resources.Store.dump_to_disk = lambda self: None
    from localstripe.server import app

    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
