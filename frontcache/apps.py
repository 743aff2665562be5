from django.apps import AppConfig


class FrontCacheConfig(AppConfig):
    name = "frontcache"
    verbose_name = "HTTP front cache (Varnish)"

    def ready(self):
        from pagecache.tags import tags_invalidated

        from . import receivers

        tags_invalidated.connect(receivers.purge_invalidated_tags, dispatch_uid="frontcache-purge")
