"""Actions started at the same moment in threads, each on its own database connection: what
the concurrency tests race."""

from __future__ import annotations

import threading

from django.db import connections


def run_all(*actions) -> list[BaseException]:
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def wrap(action):
        try:
            barrier.wait()
            action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors
