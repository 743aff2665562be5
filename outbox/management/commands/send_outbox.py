"""Deliver the email outbox: once, or with --loop as a long-running worker process.

One worker per site (a file lock keeps a second one on the same host idle). Each pass sends
what is due; an email that fails is tried again after OUTBOX_RETRY_SECONDS, then twice as
long each time, up to OUTBOX_MAX_RETRIES attempts; then it shows as failed.
"""

import logging
import signal
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from post_office.lockfile import FileLock, FileLocked

from outbox import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send queued emails (with --loop: keep sending, a pass every --interval seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="run until stopped")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument(
            "--lockfile", default=str(settings.BASE_DIR / "var" / "send_outbox"), help="lock path"
        )

    def handle(self, *args, loop, interval, lockfile, **options):
        if loop:
            # A stop from systemd or `make run` ends the pass cleanly and releases the lock.
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        Path(lockfile).parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(lockfile):
                while True:
                    self.one_pass()
                    if not loop:
                        return
                    time.sleep(interval)
                    # As between two requests: drop a connection the database closed, or
                    # one older than CONN_MAX_AGE.
                    close_old_connections()
        except FileLocked:
            self.stderr.write("Another send_outbox holds the lock; not starting a second one.")
        except KeyboardInterrupt:
            return

    def one_pass(self):
        try:
            sent, failed, retrying = services.deliver_due()
        except Exception:
            # The database may be away for a moment; the next pass tries again.
            logger.exception("Outbox pass failed")
            return
        if sent or failed or retrying:
            self.stdout.write(f"outbox: {sent} sent, {retrying} to retry, {failed} failed")
