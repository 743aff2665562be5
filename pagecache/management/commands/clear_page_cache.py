"""Make every cached page render afresh: run after a deployment changes templates or code,
which no database save announces."""

from django.core.management.base import BaseCommand

from pagecache.cache import bump_generation


class Command(BaseCommand):
    help = "Start a new page-cache generation (after a deployment)."

    def handle(self, *args, **options):
        bump_generation()
        self.stdout.write("Page cache cleared: the next request to each page renders it.")
