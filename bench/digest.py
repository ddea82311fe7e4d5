"""Digest fan-out benchmark: 100,000 subscribers over ~50 segments, 20 columns.

Measures, on one core (one thread, one process), as medians of several runs:

* segment path: per subscriber, pick the segment for their followed authors (render
  once per segment: Jinja2 → MJML → premailer), sign their unsubscribe link,
  ``personalise`` the segment, build the wire bytes of the MIME message with
  ``syndicate.deliver.message.MessageFactory`` (one factory per issue, as
  ``core.digest`` does): everything a transport needs, short of handing it over;
* naive path, on a sample: the same, but a full render + premailer per subscriber
  (and the one-off ``build_message``);
* ratio of the two, and peak RSS (``ru_maxrss``) of the process;
* SMTP: messages/s handed to a loopback aiosmtpd sink through ``SmtpTransport``
  (its pool of ``connections``, one sender thread per connection, no rate limit).
* DKIM: the segment path again on a sample, each message also signed by
  ``syndicate.deliver.dkim`` (RSA-2048, hand-written, OpenSSL): signed msg/s, and the signing cost
  per message (difference of the two paths' times per message, same run).

Subscribers are generated lazily and no message is kept, as in a real run: memory
must stay flat whatever the list size.

Usage: python bench/digest.py [--runs 3] [--subscribers 100000] [--naive-sample 200]
                              [--smtp-messages 3000] [--dkim-messages 2000]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import resource
import socket
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from syndicate.config.newsletters import Newsletter
from syndicate.deliver.message import (
    ListHeaders,
    MailMessage,
    MessageFactory,
    build_message,
    list_id,
    message_id,
    parse_sender,
    to_bytes,
)
from syndicate.render.digest import (
    SegmentRenderer,
    bundled_templates_dir,
    render_segment,
)
from syndicate.render.digest_model import (
    DigestContent,
    SubscriberTokens,
    build_content,
)
from syndicate.subscribers.tokens import TokenSigner, link
from syndicate.types import Author, Column, Subscriber

NOW = datetime(2025, 9, 14, 5, 0, tzinfo=UTC)
BASE_URL = "https://digest.al-sharq.example"
MAILTO = "unsubscribe@al-sharq.example"
N_AUTHORS = 10
N_SEGMENTS = 50
EXCERPT = (
    "في ظل التحولات الأمنية الأخيرة التي شهدتها المنطقة عاد إلى الواجهة مجددًا سؤال جوهري "
    "في السياسات الخارجية للدول الصغيرة والمتوسطة وهو: كيف يمكن لدولة تعتمد الخيار "
    "الدبلوماسي وتتبنى نهج الحياد الإيجابي أن تحمي سيادتها في بيئة إقليمية مضطربة؟ "
) * 2
NAMES = ("عائشة المري", "حمد الكبيسي", "John Carter", "لطيفة النعيمي", None)

NEWSLETTER = Newsletter(
    id="daily",
    title="نشرة الشرق اليومية — مقالات الرأي",
    sender="الشرق <digest@al-sharq.example>",
    reply_to="opinion@al-sharq.example",
    max_items=20,
    most_read_items=5,
)


def make_columns(n: int = 20) -> list[Column]:
    authors = [
        Author(
            name=f"كاتب الرأي {i + 1}" if i % 3 else f"Writer Number {i + 1}",
            slug=f"author-{i}",
            credentials="دكتوراه في العلاقات الدولية",
            url=f"https://al-sharq.example/author/{i}",
            image_url=f"https://al-sharq.example/img/author-{i}.jpg",
        )
        for i in range(N_AUTHORS)
    ]
    return [
        Column(
            url=f"https://al-sharq.example/opinion/{5000 + i}",
            source="alsharq",
            title=f"دبلوماسية التحالفات كأداة للردع والحماية الأمنية ({i + 1})",
            author=authors[i % N_AUTHORS],
            published=NOW - timedelta(hours=2 + 3 * i),
            body_html=f"<p>{EXCERPT}</p>",
            excerpt=EXCERPT,
            views=414 * (i + 1),
        )
        for i in range(n)
    ]


def follow_sets() -> list[tuple[str, ...]]:
    """50 distinct followed-author sets: everyone, each author alone, then pairs."""
    slugs = [f"author-{i}" for i in range(N_AUTHORS)]
    sets: list[tuple[str, ...]] = [()]
    sets += [(s,) for s in slugs]
    sets += list(itertools.combinations(slugs, 2))
    return sets[:N_SEGMENTS]


def subscribers(n: int, sets: list[tuple[str, ...]]) -> Iterator[Subscriber]:
    for i in range(n):
        yield Subscriber(
            email=f"reader{i}@example.net",
            newsletter="daily",
            name=NAMES[i % len(NAMES)],
            followed_authors=sets[(i * 7919) % len(sets)],
            id=i + 1,
        )


class Fanout:
    """What the delivery side does per subscriber, minus the hand-over."""

    def __init__(self, base: DigestContent, templates: tuple[Path, ...]) -> None:
        self.base = base
        self.templates = templates
        self.signer = TokenSigner(b"bench-key-" * 4)
        self.sender = parse_sender(NEWSLETTER.sender)
        self.list_id = list_id(NEWSLETTER.id, self.sender)
        self.narrow: dict[frozenset[str], DigestContent] = {}
        self.factory = MessageFactory(
            sender=NEWSLETTER.sender, date=NOW, reply_to=NEWSLETTER.reply_to,
            list_id=self.list_id, list_title=NEWSLETTER.title, unsubscribe_mailto=MAILTO,
        )

    def content(self, subscriber: Subscriber) -> DigestContent:
        key = frozenset(subscriber.followed_authors)
        found = self.narrow.get(key)
        if found is None:
            found = self.narrow[key] = self.base.for_authors(key)
        return found

    def message(
        self, subscriber: Subscriber, subject: str, html: str, text: str, unsubscribe: str
    ) -> MailMessage:
        return self.factory.build(
            to=subscriber.email,
            to_name=subscriber.name,
            subject=subject,
            text=text,
            html=html,
            message_id=self.message_id(subscriber),
            unsubscribe_url=unsubscribe,
            unsubscribe_token=token_of(unsubscribe),
        )

    def one_off(
        self, subscriber: Subscriber, subject: str, html: str, text: str, unsubscribe: str
    ) -> MailMessage:
        """The naive path builds each message on its own, like a confirmation mail."""
        return build_message(
            sender=NEWSLETTER.sender, to=subscriber.email, to_name=subscriber.name,
            subject=subject, text=text, html=html, message_id=self.message_id(subscriber),
            date=NOW, reply_to=NEWSLETTER.reply_to,
            list_headers=ListHeaders(
                list_id=self.list_id, unsubscribe_url=unsubscribe,
                unsubscribe_mailto=MAILTO, title=NEWSLETTER.title,
                unsubscribe_token=token_of(unsubscribe),
            ),
        )

    def message_id(self, subscriber: Subscriber) -> str:
        return message_id("digest", "daily", 1, subscriber.id, domain=self.sender.domain)

    def tokens(self, subscriber: Subscriber) -> SubscriberTokens:
        assert subscriber.id is not None
        token = self.signer.make("unsubscribe", subscriber_id=subscriber.id,
                                 email=subscriber.email, newsletter="daily", issued=NOW)
        return SubscriberTokens(unsubscribe_url=link(BASE_URL, "unsubscribe", token),
                                name=subscriber.name, email=subscriber.email)


def token_of(unsubscribe_url: str) -> str:
    """The signed token at the end of an unsubscribe link (tokens.link), for the mailto."""
    return unsubscribe_url.rsplit("/", 1)[1]


def segment_path(fan: Fanout, n: int, sets: list[tuple[str, ...]]) -> dict[str, Any]:
    renderer = SegmentRenderer(fan.templates, transfer_encoding="base64")
    total_bytes = 0
    started = time.perf_counter()
    for subscriber in subscribers(n, sets):
        segment = renderer.segment(fan.content(subscriber))
        tokens = fan.tokens(subscriber)
        html, text = segment.personalise(tokens)
        message = fan.message(subscriber, segment.subject, html, text, tokens.unsubscribe_url)
        total_bytes += len(to_bytes(message))
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "messages_per_s": n / elapsed, "segments": renderer.renders,
            "mean_message_bytes": total_bytes / n}


def dkim_path(fan: Fanout, n: int, sets: list[tuple[str, ...]]) -> dict[str, float]:
    """Unsigned and signed segment paths on the same ``n`` subscribers, back to back."""
    from syndicate.deliver.dkim import DkimSigner

    key = (Path(__file__).resolve().parents[1] / "tests/data/dkim/test-only.key").read_bytes()
    signer = DkimSigner(b"bench", b"al-sharq.example", key)
    timings = {}
    for signed in (False, True):
        renderer = SegmentRenderer(fan.templates, transfer_encoding="base64")
        for subscriber in subscribers(min(n, 200), sets):  # warm the segment cache
            renderer.segment(fan.content(subscriber))
        started = time.perf_counter()
        for subscriber in subscribers(n, sets):
            segment = renderer.segment(fan.content(subscriber))
            tokens = fan.tokens(subscriber)
            html, text = segment.personalise(tokens)
            data = to_bytes(fan.message(subscriber, segment.subject, html, text,
                                        tokens.unsubscribe_url))
            if signed:
                signer.sign(data)
        timings[signed] = time.perf_counter() - started
    return {"signed_messages_per_s": n / timings[True],
            "sign_ms_per_message": (timings[True] - timings[False]) / n * 1000}


def naive_path(fan: Fanout, n: int, sets: list[tuple[str, ...]]) -> dict[str, Any]:
    started = time.perf_counter()
    for subscriber in subscribers(n, sets):
        segment = render_segment(fan.content(subscriber), templates_dirs=fan.templates)
        tokens = fan.tokens(subscriber)
        html, text = segment.personalise(tokens)
        to_bytes(fan.one_off(subscriber, segment.subject, html, text, tokens.unsubscribe_url))
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "messages_per_s": n / elapsed}


def smtp_path(fan: Fanout, n: int, sets: list[tuple[str, ...]]) -> float | None:
    """Messages/s into a loopback aiosmtpd sink, or None if a piece is missing."""
    try:
        from aiosmtpd.controller import Controller

        from syndicate.config.newsletters import SmtpSettings
        from syndicate.deliver.smtp import SmtpTransport
    except ImportError as exc:
        print(f"smtp: skipped ({exc})", file=sys.stderr)
        return None

    class Sink:
        count = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.count += 1
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd's Controller cannot bind port 0 itself
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none",
                                connections=3, rate_per_s=1e9, timeout_s=30)
        transport = SmtpTransport(settings)
        renderer = SegmentRenderer(fan.templates)
        queue = iter(subscribers(n, sets))
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    subscriber = next(queue, None)
                if subscriber is None:
                    return
                with lock:  # the segment cache is not shared across threads in production
                    segment = renderer.segment(fan.content(subscriber))
                tokens = fan.tokens(subscriber)
                html, text = segment.personalise(tokens)
                transport.send(fan.message(subscriber, segment.subject, html, text,
                                           tokens.unsubscribe_url))

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(transport.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        transport.close()
        if Sink.count != n:
            print(f"smtp: sink received {Sink.count} of {n}", file=sys.stderr)
        return n / elapsed
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--smtp-messages", type=int, default=3000)
    parser.add_argument("--dkim-messages", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    templates = (bundled_templates_dir(),)
    columns = make_columns(20)
    base = build_content(NEWSLETTER, columns, sorted(columns, key=lambda c: -(c.views or 0)),
                         issue_number=1, now=NOW, base_url=BASE_URL)
    fan = Fanout(base, templates)
    sets = follow_sets()
    segments = {fan.base.for_authors(s) for s in sets}
    print(f"{args.subscribers:,} subscribers, {len(columns)} columns, "
          f"{len(sets)} follow sets -> {len(segments)} distinct segments")

    fast, slow, smtp, signed, sign_ms = [], [], [], [], []
    for run in range(args.runs):
        f = segment_path(fan, args.subscribers, sets)
        s = naive_path(fan, args.naive_sample, sets)
        fast.append(f["messages_per_s"])
        slow.append(s["messages_per_s"])
        print(f"run {run + 1}: segment path {f['messages_per_s']:,.0f} msg/s "
              f"({f['segments']} renders, {f['seconds']:.1f} s, "
              f"{f['mean_message_bytes'] / 1024:.1f} KiB/message); "
              f"naive {s['messages_per_s']:,.1f} msg/s on {args.naive_sample}; "
              f"ratio {f['messages_per_s'] / s['messages_per_s']:,.1f}x")
        if args.smtp_messages:
            rate = smtp_path(fan, args.smtp_messages, sets)
            if rate is not None:
                smtp.append(rate)
                print(f"run {run + 1}: SMTP loopback sink {rate:,.0f} msg/s "
                      f"on {args.smtp_messages:,}")
        if args.dkim_messages:
            d = dkim_path(fan, args.dkim_messages, sets)
            signed.append(d["signed_messages_per_s"])
            sign_ms.append(d["sign_ms_per_message"])
            print(f"run {run + 1}: DKIM-signed segment path {d['signed_messages_per_s']:,.0f} "
                  f"msg/s on {args.dkim_messages:,}; signing {d['sign_ms_per_message']:.2f} "
                  "ms/message")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "messages_per_s": round(statistics.median(fast), 1),
        "naive_messages_per_s": round(statistics.median(slow), 2),
        "ratio": round(statistics.median(fast) / statistics.median(slow), 1),
        "peak_rss_mb": round(peak, 1),
        "smtp_messages_per_s": round(statistics.median(smtp), 1) if smtp else None,
        "dkim_signed_messages_per_s": round(statistics.median(signed), 1) if signed else None,
        "dkim_sign_ms_per_message": round(statistics.median(sign_ms), 3) if sign_ms else None,
    }
    print(f"medians of {args.runs} runs; targets: >= 2,000 msg/s, >= 20x naive, < 300 MB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
