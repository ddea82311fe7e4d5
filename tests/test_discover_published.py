"""Date candidates on a column page without structured data: the publication, never
an update, and the Gregorian date before the Hijri one beside it."""

from __future__ import annotations

from datetime import UTC, datetime

from syndicate.discover.dom import parse
from syndicate.discover.published import published_candidates
from syndicate.discover.sample import Sample

NOW = datetime(2025, 9, 25, 12, tzinfo=UTC)


def _candidates(body: str) -> list[object]:
    html = f"<html><body><h1>عنوان المقال</h1>{body}</body></html>"
    return list(published_candidates(Sample("https://x/1", parse(html), html), NOW,
                                      "Asia/Qatar"))


def test_hijri_gregorian_and_time_in_three_spans_give_the_gregorian_pair() -> None:
    # Their parent also says when the column was edited: it is not a candidate.
    found = _candidates('<div class="dates"><span class="hijri-date">21 ربيع الأول 1447 هـ'
                        '</span> <span class="greg-date">14 سبتمبر 2025</span> '
                        '<span class="time">9:15 م</span> <span>آخر تحديث 15 سبتمبر 2025 '
                        '10:00 ص</span></div>')
    assert found[0] == (".greg-date", ".time")
    assert (".hijri-date", ".time") in found[1:]


def test_an_update_time_with_a_datetime_attribute_is_not_the_publication() -> None:
    found = _candidates('<time class="updated" datetime="2025-09-15T10:00:00+03:00">آخر '
                        'تحديث 10:00 ص</time><span class="post-date">14 سبتمبر 2025 9:15 م'
                        '</span><time itemprop="dateModified" datetime="2025-09-15T10:00:00'
                        '+03:00">15 سبتمبر</time>')
    assert found == [".post-date"]
