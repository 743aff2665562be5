from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from frontcache.purge import purge_everything, purge_tags


class Command(BaseCommand):
    help = (
        "Purge the HTTP front cache (every Varnish in HTTP_CACHE_PURGE_URLS): everything, "
        "e.g. after a deploy, or only the pages carrying the given tags (p:12 cat:3 ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("tags", nargs="*", help="tags to purge; none means everything")

    def handle(self, *args, tags, **options):
        urls = settings.HTTP_CACHE_PURGE_URLS
        if not urls:
            self.stdout.write("HTTP_CACHE_PURGE_URLS is empty: there is no front cache to purge.")
            return
        failed = purge_tags(set(tags)) if tags else purge_everything()
        if failed:
            raise CommandError(f"{failed} purge request(s) failed; see the log for which.")
        what = "tags " + " ".join(tags) if tags else "everything"
        self.stdout.write(f"Purged {what} at {len(urls)} front cache(s).")
