"""The sanitiser's edges with hostile input: embedded videos and links that lose their href."""

from __future__ import annotations

import pytest

from syndicate.text.sanitise import sanitise_html

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(("embed", "video"), [
    ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', YOUTUBE),
    ('<IFRAME SRC="//www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0" width=560></IFRAME>',
     YOUTUBE),
    (("<iframe src='https://youtube.com/embed/dQw4w9WgXcQ' allowfullscreen>"
      "<script>alert(1)</script></iframe>"), YOUTUBE),
    ('<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e"></iframe>',
     "https://vimeo.com/76979871"),
    ('<iframe src="https://www.dailymotion.com/embed/video/x8abcd1"></iframe>',
     "https://www.dailymotion.com/video/x8abcd1"),
])
def test_a_known_video_embed_becomes_a_link_to_the_video(embed: str, video: str) -> None:
    out = sanitise_html(f"<p>قبل</p>{embed}<p>بعد</p>")
    assert f'href="{video.replace("&", "&amp;")}"' in out
    assert "<iframe" not in out.lower() and "script" not in out and "alert" not in out
    assert out.startswith("<p>قبل</p>") and out.endswith("<p>بعد</p>")


def test_the_embed_title_is_the_link_text_and_stays_text() -> None:
    out = sanitise_html('<iframe title="&lt;img src=x onerror=alert(1)&gt; حوار" '
                        'src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>')
    assert "<img" not in out and "onerror" not in out.split("&lt;img", 1)[0]
    assert "حوار" in out and f'href="{YOUTUBE}"' in out


@pytest.mark.parametrize("embed", [
    '<iframe src="https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="https://evil.example/www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="javascript:alert(1)//www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="https://www.youtube.com/embed/x&quot; onload=&quot;alert(1)"></iframe>',
    '<iframe src="https://www.youtube.com/embed/../../evil"></iframe>',
    '<iframe src="https://user@www.youtube.com:8443/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
])
def test_other_iframes_still_vanish(embed: str) -> None:
    out = sanitise_html(f"<p>نص</p>{embed}")
    assert out == "<p>نص</p>"


@pytest.mark.parametrize("link", [
    '<a href="javascript:alert(1)">اقرأ المزيد</a>',
    '<a href="JaVaScRiPt:alert(1)" title="x">اقرأ المزيد</a>',
    '<a href=" javascript:alert(1)" onclick="alert(2)">اقرأ المزيد</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">اقرأ المزيد</a>',
    '<a href="vbscript:msgbox(1)">اقرأ المزيد</a>',
    '<a name="top">اقرأ المزيد</a>',
])
def test_a_link_whose_href_was_removed_becomes_its_text(link: str) -> None:
    out = sanitise_html(f"<p>{link} الآن</p>")
    assert out == "<p>اقرأ المزيد الآن</p>"


def test_markup_inside_a_dead_link_is_kept_and_live_links_are_untouched() -> None:
    out = sanitise_html('<p><a href="javascript:x()"><strong>عاجل</strong></a> و '
                        '<a href="https://ok.example/a">رابط</a></p>')
    assert out == ('<p><strong>عاجل</strong> و <a href="https://ok.example/a" '
                   'rel="noopener noreferrer nofollow">رابط</a></p>')
