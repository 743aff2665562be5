"""Index every product and page again: after a bulk import (bulk_create sends no signals)."""

from django.core.management.base import BaseCommand

from search.services import rebuild_index


class Command(BaseCommand):
    help = "Rebuild site search's documents from the catalogue and the live pages."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"{count} documents indexed.")
