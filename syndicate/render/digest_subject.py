"""Subject line and preheader of a digest, from per-newsletter templates.

The From name already says which newspaper this is, so the subject starts with the
lead headline: on a phone every issue then looks different. At most
``SUBJECT_VISIBLE`` characters show before a client truncates, so the subject is
fitted: "headline and N more" when it fits, else the headline alone, else the
headline cut at a word.

The preheader (the grey snippet after the subject in an inbox) adds what the
subject does not say: the authors and the lead's opening lines. It is followed by
a run of zero-width non-joiners and no-break spaces, so the inbox snippet ends there
instead of running on into the masthead ("view in browser", the title, the date).

Templates are Jinja2 strings from ``schedules.yaml`` (``subject:``, ``preheader:``),
rendered without autoescape: the result is a header or a hidden text, and the
message builder encodes it (and ``one_line`` removes any line break).
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ..errors import RenderError
from ..text.sanitise import cut_text
from ..text.templating import compiled
from .bidi import RLM, starts_left_to_right
from .digest_model import DigestContent, DigitSystem, join_names, number_text
from .plaintext import one_line

SUBJECT_VISIBLE = 60
PREHEADER_VISIBLE = 150
# ~100 "&zwnj;&nbsp;" pairs: room for the longest snippet any client shows (~140-200
# characters on a wide Gmail window) without adding much weight.
PREHEADER_PADDING = "\u200c\u00a0" * 100

DEFAULT_SUBJECT = "{{ lead }}{{ more }}"
DEFAULT_PREHEADER = {
    "daily": "{% if authors %}بقلم {{ authors }}. {% endif %}{{ excerpt }}",
    "weekly": "حصاد الأسبوع {{ period_brief }}. {% if authors %}بقلم {{ authors }}. {% endif %}",
    "welcome": "أهلًا بك في «{{ title }}»: هذا عددك الأول. {% if authors %}بقلم {{ authors }}.{% endif %}",
}


@dataclass(frozen=True)
class Heading:
    subject: str
    preheader: str  # without the padding

    @property
    def padded_preheader(self) -> str:
        return self.preheader + PREHEADER_PADDING


def more_articles(count: int, digits: DigitSystem) -> str:
    """The "and N more articles" of a subject, with Arabic number agreement (dual, 3-10, 11+)."""
    if count <= 0:
        return ""
    if count == 1:
        return " ومقال آخر"
    if count == 2:
        return " ومقالان آخران"
    n = number_text(count, digits)
    if count % 100 in range(3, 11):
        return f" و{n} مقالات أخرى"
    return f" و{n} مقالًا آخر"


def authors_texts(content: DigestContent) -> list[str]:
    """The issue's authors as the preheader may name them, longest first: up to three
    («أ، ب وج»), then fewer and «وغيرهم», then none: the preheader takes the longest
    that fits whole, never a name cut in the middle."""
    authors = list(dict.fromkeys(i.author_name for i in content.new_items))
    if not authors:
        return [""]
    texts = [join_names(authors) if len(authors) <= 3 else "، ".join(authors[:3]) + " وغيرهم"]
    texts += ["، ".join(authors[:k]) + " وغيرهم" for k in range(min(len(authors), 3) - 1, 0, -1)]
    return [*texts, ""]


def _variables(content: DigestContent, *, lead: str, more: str,
               authors: str | None = None) -> dict[str, object]:
    items = content.new_items
    authors_text = authors_texts(content)[0] if authors is None else authors
    return {
        "lead": lead,
        "more": more,
        "count": len(items),
        "number": content.issue_number_text,
        "date": content.issue_date_text,
        "period": content.period_text,
        "period_brief": content.period_brief_text,
        "title": content.newsletter_title,
        "edition": content.edition,
        "authors": authors_text,
        "excerpt": items[0].excerpt if items else "",
    }


def _render(source: str, variables: dict[str, object], what: str) -> str:
    try:
        return one_line(compiled(source).render(**variables))
    except jinja2.TemplateError as exc:
        raise RenderError(f"newsletter {what}", f"{type(exc).__name__}: {exc}") from exc


def visible_length(text: str) -> int:
    """Characters a reader sees (bidi controls and joiners take no room)."""
    return sum(1 for c in text if c not in "\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069")


def heading_for(content: DigestContent) -> Heading:
    frame = content.frame
    subject_source = frame.subject_template or DEFAULT_SUBJECT
    lead = content.new_items[0].title if content.new_items else content.newsletter_title
    lead = one_line(lead)
    more = more_articles(len(content.new_items) - 1, content.digits)
    subject = _render(subject_source, _variables(content, lead=lead, more=more), "subject")
    if visible_length(subject) > SUBJECT_VISIBLE and more:
        subject = _render(subject_source, _variables(content, lead=lead, more=""), "subject")
    if visible_length(subject) > SUBJECT_VISIBLE:
        # Cut the headline by what the rest of the template takes; never below a third.
        rest = visible_length(subject) - visible_length(lead)
        room = max(SUBJECT_VISIBLE // 3, SUBJECT_VISIBLE - rest)
        subject = _render(subject_source,
                          _variables(content, lead=cut_text(lead, room), more=""), "subject")
    preheader_source = frame.preheader_template or DEFAULT_PREHEADER[content.edition]
    for authors in authors_texts(content):
        preheader = cut_text(_render(
            preheader_source, _variables(content, lead=lead, more=more, authors=authors),
            "preheader"), PREHEADER_VISIBLE, whole_words=True)
        if authors in preheader:  # whole, or the template does not name them ("")
            break
    return Heading(subject=right_to_left(subject), preheader=right_to_left(preheader))


def right_to_left(line: str) -> str:
    """``line`` led by U+200F when it opens with a Latin letter ("Sara Lindqvist: …"):
    inboxes take a subject's direction from its first strong character. The mark takes
    no room (``visible_length``); Arabic-led lines are left as they are."""
    return RLM + line if starts_left_to_right(line) else line
