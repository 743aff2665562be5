"""The Oscar storefront app config, forked only to move the dashboard out of the shop URLs.

Oscar mounts its dashboard inside the storefront URL tree; this project serves the
storefront under ``/shop/`` and the dashboard at ``/dashboard/`` (see config/urls.py).
"""

from oscar import config


class Shop(config.Shop):
    def get_urls(self):
        return [url for url in super().get_urls() if "dashboard" not in str(url.pattern)]
