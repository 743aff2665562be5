"""Make every cached page render afresh: run after a deployment changes templates or code,
which no database save announces."""

from django.core.management.base import BaseCommand

from pagecache.cache import clear


class Command(BaseCommand):
    help = "Invalidate every cached page (after a deployment)."

    def handle(self, *args, **options):
        clear()
        self.stdout.write("Page cache cleared: the next request to each page renders it.")
