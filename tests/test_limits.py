"""The one rate-limiting primitive (syndicate.limits), on a pinned clock: spacing,
pauses, widening on throttles, slow narrowing, giving a host up."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta

from syndicate.deliver.pacing import Pacer as DeliveryPacer
from syndicate.limits import HostGate, Pacer
from syndicate.sources.fetching import retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_delivery_paces_with_the_same_primitive() -> None:
    assert DeliveryPacer is Pacer


def test_pacer_spaces_starts_and_pauses() -> None:
    clock = Clock()
    pacer = Pacer(4, sleep=clock.sleep, monotonic=clock.monotonic)
    for _ in range(3):
        pacer.wait()
    assert clock.slept == [0.25, 0.25]
    pacer.pause(2)
    pacer.wait()
    assert clock.slept[-1] == 2.0


def test_gate_widens_on_throttles_narrows_slowly_and_gives_up() -> None:
    clock = Clock()
    gate = HostGate(2, 0.1, sleep=clock.sleep, monotonic=clock.monotonic, max_throttles=3,
                    narrow_after=2)
    with gate:
        pass
    assert gate.throttled(1.0) is False  # Retry-After 1: the whole host waits 1 s
    assert gate.delay == 1.0
    with gate:
        pass
    assert clock.slept[-1] == 1.0
    assert gate.throttled(None) is False  # again: the spacing doubles
    assert gate.delay == 2.0
    for _ in range(4):  # successes narrow it by a tenth every narrow_after of them
        gate.succeeded()
    assert gate.delay == 2.0 * 0.9 * 0.9
    assert gate.throttles == 0
    sent = clock.monotonic()
    assert gate.throttled(None) is False
    # An answer to a request sent before that slowing down is the same burst.
    assert gate.throttled(None, sent_at=sent - 1) is False
    assert gate.throttles == 1
    clock.now += 1
    assert gate.throttled(None) is False
    clock.now += 1
    assert gate.throttled(None) is True and gate.given_up  # 3 in a row


def test_a_stricter_source_tightens_the_hosts_gate() -> None:
    clock = Clock()
    gate = HostGate(4, 0.0, sleep=clock.sleep, monotonic=clock.monotonic)
    gate.tighten(1, 0.5)
    assert (gate.limit, gate.delay) == (1, 0.5)
    gate.tighten(3, 0.2)  # a laxer one changes nothing
    assert (gate.limit, gate.delay) == (1, 0.5)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("7") == 7.0
    later = datetime.now(UTC) + timedelta(seconds=120)
    seconds = retry_after(email.utils.format_datetime(later, usegmt=True))
    assert seconds is not None and 100 < seconds <= 120
    assert retry_after("soon") is None
