"""Who holds a delivery: owner ids, leases, and owners known dead on this host.

Every sender (a ``digest`` run, a scheduled job, a worker on another host) has an
owner id ``HOST:PID:NONCE``. Deliveries it claims carry that id and a lease
(wall-clock time, never the injected clock: tests pin the clock, leases must still
run out). Another sender claims a row once its lease is over; on the same host it
need not wait for that when the owner's process is gone (``kill -9``, OOM): a pid
that no longer exists cannot be sending. A pid reused since only makes us wait
for the lease, which is safe.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import UTC, datetime, timedelta

from ..store import Store

log = logging.getLogger("syndicate.digest")

LEASE = timedelta(minutes=10)  # far longer than one claimed batch takes to hand over


def wall_now() -> datetime:
    return datetime.now(UTC)


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _dead_here(owner: str) -> bool:
    host, _, rest = owner.rpartition(":")[0].rpartition(":")
    pid = rest
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False  # another host, or this very process (alive: let its lease run)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def release_dead_owners(store: Store, issue_id: int, me: str) -> int:
    """End the leases of this issue's holders whose process died on this host."""
    released = 0
    for owner, count in store.digests.holders(issue_id, wall_now()).items():
        if owner != me and _dead_here(owner):
            released += store.digests.end_lease(issue_id, owner)
            log.info("deliveries of issue %d held by %s (gone): %d claimable again",
                     issue_id, owner, count)
    return released
