from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import availability, checks, signals

        signals.connect()
        availability.install()
        checks.refuse_per_process_cache()
