"""The paper's zone from what its pages say: «بتوقيت …» words, else the UTC offsets of its
dates narrowed by the site's country (ccTLD, <html lang="ar-XX">), else the ccTLD alone;
each guess says which evidence chose it."""

from __future__ import annotations

import pytest

from syndicate.discover.zones import guess_zone

SEPT = "<time datetime='2025-09-14T21:15:00+03:00'>"
JANUARY = "<time datetime='2025-01-14T21:15:00+02:00'>"


@pytest.mark.parametrize(("texts", "url", "zone", "evidence"), [
    # one offset, several zones: the address's country picks among them
    ([SEPT], "https://alqabas.com.kw/opinion/", "Asia/Kuwait", "the .kw address"),
    ([SEPT], "https://www.okaz.com.sa/opinion", "Asia/Riyadh", "the .sa address"),
    ([SEPT], "https://www.alwatan.com.sy/", "Asia/Damascus", "the .sy address"),
    # Egypt keeps summer time again: +03:00 in September, +02:00 in January
    ([SEPT], "https://www.ahram.org.eg/opinion", "Africa/Cairo", "the .eg address"),
    ([JANUARY], "https://www.ahram.org.eg/opinion", "Africa/Cairo", "the .eg address"),
    ([JANUARY], "https://www.annahar.com.lb/", "Asia/Beirut", "the .lb address"),
    # the page's language tag names the country when the address does not
    ([f'<html lang="ar-BH">{SEPT}'], "https://www.alayam.com/", "Asia/Bahrain",
     'lang="ar-BH"'),
    # no country: the commonest zone for the offset, said to be approximate
    ([SEPT], "https://paper.example.com/", "Asia/Qatar", "approximate"),
    # WordPress posts: the local date beside date_gmt
    (['[{"id": 1, "date": "2025-09-14T21:15:00", "date_gmt": "2025-09-14T18:15:00"}]'],
     "https://alqabas.com.kw/", "Asia/Kuwait", "offset +03:00"),
    # an RFC 822 date of a feed
    (["<pubDate>Sun, 14 Sep 2025 21:15:00 +0400</pubDate>"], "https://x.example.com/",
     "Asia/Dubai", "+04:00"),
])
def test_an_offset_is_narrowed_by_the_sites_country(texts: list[str], url: str, zone: str,
                                                     evidence: str) -> None:
    guess = guess_zone(texts, url)
    assert guess is not None
    assert guess.zone == zone
    assert evidence in guess.evidence


def test_utc_written_by_a_program_gives_way_to_the_papers_own_offset() -> None:
    # Drupal: every <time datetime> in "Z", the JSON-LD in Dubai time.
    texts = ['<time datetime="2025-10-06T03:10:00Z">', '<time datetime="2025-10-05T19:45:00Z">',
             '<time datetime="2025-10-05T04:00:00Z">',
             '{"datePublished": "2025-10-06T07:10:00+04:00"}']
    guess = guess_zone(texts, "https://paper.example/")
    assert guess is not None
    assert guess.zone == "Asia/Dubai"
    assert "+04:00" in guess.evidence
    only_utc = guess_zone(['<time datetime="2025-10-06T03:10:00Z">'], "https://paper.example/")
    assert only_utc is not None and "+00:00" in only_utc.evidence


def test_a_country_whose_zone_is_not_at_that_offset_is_not_chosen() -> None:
    guess = guess_zone(["2025-09-14T21:15:00+01:00"], "https://www.raya.com.qa/")
    assert guess is not None
    assert guess.zone == "Africa/Casablanca"
    assert "the .qa address's zone (Asia/Qatar) is not at +01:00" in guess.evidence


@pytest.mark.parametrize(("text", "url", "zone"), [
    ("الساعة 9:15 بتوقيت الدوحة", "https://x.example/", "Asia/Qatar"),
    ("آخر تحديث بتوقيت مكة المكرمة", "https://x.example/", "Asia/Riyadh"),
    ("١٢:٠٠ بتوقيت بيروت", "https://x.example/", "Asia/Beirut"),
    ("بتوقيت القدس", "https://x.example/", "Asia/Jerusalem"),
    ("بتوقيت عمان", "https://www.omandaily.om/", "Asia/Muscat"),  # Oman, by its address
    ("بتوقيت عمّان", "https://www.alrai.com/", "Asia/Amman"),
    ("بتوقيت غرينتش", "https://x.example/", "UTC"),
])
def test_city_words_name_the_zone(text: str, url: str, zone: str) -> None:
    # A city word outranks an offset elsewhere on the pages.
    guess = guess_zone([SEPT, f"<p>{text}</p>"], url)
    assert guess is not None
    assert guess.zone == zone
    assert "بتوقيت" in guess.evidence


def test_the_address_alone_is_the_weakest_evidence() -> None:
    guess = guess_zone(["<p>١٤ سبتمبر ٢٠٢٥</p>"], "https://www.alriyadh.com.sa/")
    assert guess is not None
    assert guess.zone == "Asia/Riyadh"
    assert "no offset or city on the pages" in guess.evidence


def test_nothing_said_gives_no_guess() -> None:
    assert guess_zone(["<p>١٤ سبتمبر ٢٠٢٥</p>"], "http://127.0.0.1:8000/opinion/") is None
