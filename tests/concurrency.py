"""Calls run at the same moment, each in its own thread (so on its own database
connection): races between shoppers, agents or editors."""

import threading

from django.db import connection


def run_together(*calls, timeout=60):
    """Start ``calls`` together (a barrier), wait for them (``timeout`` seconds each) and
    return what each gave back or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each call got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
