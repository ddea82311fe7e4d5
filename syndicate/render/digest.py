"""Digest e-mails: Jinja2 → MJML → mjml-python → premailer, once per segment.

The only module importing mjml (mjml-python) and premailer. The expensive work —
template, MJML compilation, CSS inlining (premailer costs milliseconds) — runs once
per *segment* (subscribers who would get identical content, see ``digest_model``).
Per-subscriber values (name, unsubscribe and preferences URLs) are rendered as
random ASCII sentinel tokens, and the finished HTML and text are split at them, so
``RenderedSegment.personalise`` is a join of a few strings: microseconds
(``digest_segment.py`` holds the rendered segment and the MIME byte arithmetic).

Tokens are ASCII letters and digits on purpose: lxml (inside premailer)
percent-escapes non-ASCII characters in ``href``, and MJML copies attributes as is.
A fresh random nonce per render means a column title cannot smuggle in a token.

Size: Gmail clips HTML beyond ~102 KB. Arabic takes 2 bytes a character in UTF-8,
and the transfer encoding adds more (base64 ×4/3, quoted-printable up to ×3 for
non-ASCII), so the budget is checked on the HTML *as it will be encoded*
(``transfer_encoding``, which the message builder must then use). Over budget, items
are dropped from the end ("most read" first, then "new", keeping one) and replaced by
a link to the site, with a warning in the log.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import mjml
from markupsafe import Markup
from premailer import Premailer

from ..bundled import DEFAULT_TEMPLATE, bundled_templates_dir
from ..errors import RenderError
from ..text.urls import ascii_url
from .bidi import bdi_html, isolate_text
from .digest_model import (
    DigestContent,
    DigitSystem,
    number_text,
    segment_key,
)
from .digest_segment import RenderedSegment, TransferEncoding, encoded_size, safe_url
from .digest_subject import heading_for
from .plaintext import finish_text, one_line

if TYPE_CHECKING:
    from ..config import Config

log = logging.getLogger("syndicate.render.digest")

GMAIL_CLIP_BYTES = 102 * 1024
# Room left for the substituted per-subscriber values (URLs with signed tokens, names).
TOKEN_ALLOWANCE_BYTES = 2048
DEFAULT_TEXT_TEMPLATE = "digest.txt.j2"
_TOKEN_NAMES = ("UNSUB", "PREFS", "NAME")

# cssutils (under premailer) logs a warning for every CSS property it does not know
# (mso-*, -webkit-*): noise at best, thousands of lines per run at worst.
logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)


# -- where templates live ------------------------------------------------------------


def templates_dirs(config: Config) -> tuple[Path, ...]:
    """The operator's ``templates_dir`` (if set) first, then the bundled templates."""
    dirs: list[Path] = []
    if config.templates_dir:
        dirs.append(config.path(config.templates_dir))
    dirs.append(bundled_templates_dir())
    return tuple(dirs)


def text_template_for(template: str) -> str:
    """``weekly.mjml.j2`` pairs with ``weekly.txt.j2`` (``render_text`` falls back to the
    default text template when the operator wrote no text twin)."""
    if template.endswith(".mjml.j2"):
        return template[: -len(".mjml.j2")] + ".txt.j2"
    return DEFAULT_TEXT_TEMPLATE


def _digits_filter(value: object, system: DigitSystem) -> str:
    return number_text(int(str(value)), system)


@lru_cache(maxsize=16)
def _environments(dirs: tuple[str, ...]) -> tuple[jinja2.Environment, jinja2.Environment]:
    """(HTML/MJML environment, plain-text environment) for one search path.

    ``auto_reload`` costs one stat per segment render and lets a long-running
    ``syndicate run`` pick up an operator's edited template.
    """
    loader = jinja2.FileSystemLoader(list(dirs))
    html_env = jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=True
    )
    html_env.filters["bdi"] = lambda value: Markup(bdi_html(str(value)))
    html_env.filters["safe_url"] = safe_url
    html_env.filters["digits"] = _digits_filter
    text_env = jinja2.Environment(
        loader=loader,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    text_env.filters["iso"] = lambda value: isolate_text(one_line(str(value)))
    text_env.filters["link"] = lambda value: ascii_url(safe_url(value))
    text_env.filters["digits"] = _digits_filter
    return html_env, text_env


# -- rendering ---------------------------------------------------------------------------


def subject_for(content: DigestContent) -> str:
    """The subject line: the lead headline first (see ``digest_subject``)."""
    return heading_for(content).subject


def _inline_css(compiled: str) -> str:
    try:
        return str(
            Premailer(
                compiled,
                keep_style_tags=False,  # inlined rules go; leftovers (@media, :hover) stay
                remove_classes=False,  # @media rules select by class
                strip_important=False,  # MJML's responsive widths rely on !important
                disable_validation=True,
                allow_network=False,
                allow_loading_external_files=False,
                cssutils_logging_level=logging.CRITICAL,
            ).transform(pretty_print=False)
        )
    except Exception as exc:  # premailer raises bare exceptions from lxml and cssutils
        raise RenderError("premailer", f"{type(exc).__name__}: {exc}") from exc


def compile_html(
    content: DigestContent,
    token_values: Mapping[str, str],
    *,
    html_env: jinja2.Environment,
    template: str,
) -> str:
    """Jinja2 → MJML → HTML → inlined CSS: the full, expensive render."""
    try:
        heading = heading_for(content)
        mjml_source = html_env.get_template(template).render(
            content=content,
            tokens=token_values,
            subject=heading.subject,
            heading=heading,
        )
    except jinja2.TemplateError as exc:
        raise RenderError(template, f"{type(exc).__name__}: {exc}") from exc
    try:
        compiled = mjml.mjml2html(mjml_source, disable_comments=True, fonts={})
    except ValueError as exc:
        raise RenderError(template, f"MJML: {exc}") from exc
    # MJML writes text-align:left on every column box whatever its direction; in an
    # RTL column that pushes images and buttons without their own align to the left.
    compiled = compiled.replace("text-align:left;direction:rtl;", "text-align:right;direction:rtl;")
    return _finish_document(_inline_css(compiled))


# Clients that honour it render the dark palette of the template's
# prefers-color-scheme rules instead of inverting colours on their own.
_COLOR_SCHEME_META = ('<meta name="color-scheme" content="light dark">'
                      '<meta name="supported-color-schemes" content="light dark">')


def _finish_document(inlined: str) -> str:
    """Put back what premailer's lxml round trip drops: the doctype (without it the
    page renders in quirks mode), and add the color-scheme metas."""
    document = inlined.lstrip()
    if not document.lower().startswith("<!doctype"):
        document = "<!doctype html>" + document
    if 'name="color-scheme"' not in document:
        document = re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + _COLOR_SCHEME_META,
                          document, count=1)
    return document


def render_text(
    content: DigestContent,
    token_values: Mapping[str, str],
    *,
    text_env: jinja2.Environment,
    template: str,
) -> str:
    try:
        chosen = text_env.select_template([template, DEFAULT_TEXT_TEMPLATE])
        raw = chosen.render(content=content, tokens=token_values, heading=heading_for(content))
    except jinja2.TemplateError as exc:
        raise RenderError(template, f"{type(exc).__name__}: {exc}") from exc
    return finish_text(raw)


def _placeholders() -> tuple[dict[str, str], re.Pattern[str]]:
    nonce = secrets.token_hex(8)
    values = {
        "name": f"SYN{nonce}NAME",
        "unsubscribe_url": f"SYN{nonce}UNSUB",
        "preferences_url": f"SYN{nonce}PREFS",
    }
    pattern = re.compile(f"SYN{nonce}({'|'.join(_TOKEN_NAMES)})")
    return values, pattern


def _render_once(
    content: DigestContent,
    *,
    dirs: tuple[str, ...],
    template: str,
    text_template: str,
    transfer_encoding: TransferEncoding,
) -> tuple[str, str, re.Pattern[str], int]:
    html_env, text_env = _environments(dirs)
    token_values, pattern = _placeholders()
    html_out = compile_html(content, token_values, html_env=html_env, template=template)
    text_out = render_text(content, token_values, text_env=text_env, template=text_template)
    return html_out, text_out, pattern, encoded_size(html_out, transfer_encoding)


def render_segment(
    content: DigestContent,
    *,
    templates_dirs: Sequence[Path | str],
    template: str = DEFAULT_TEMPLATE,
    text_template: str | None = None,
    transfer_encoding: TransferEncoding = "base64",
    max_html_bytes: int = GMAIL_CLIP_BYTES,
) -> RenderedSegment:
    """Render ``content`` once; trim items (and warn) if Gmail would clip the HTML."""
    dirs = tuple(str(d) for d in templates_dirs)
    text_name = text_template or text_template_for(template)
    budget = max_html_bytes - TOKEN_ALLOWANCE_BYTES
    original = content
    html_out, text_out, pattern, size = _render_once(
        content, dirs=dirs, template=template, text_template=text_name,
        transfer_encoding=transfer_encoding,
    )
    while size > budget:
        droppable_most_read = len(content.most_read_items)
        droppable_new = max(0, len(content.new_items) - 1)
        if droppable_most_read + droppable_new == 0:
            break
        # Average size per item overestimates one item's share (it includes the fixed
        # frame), so this never drops more than needed; the loop takes the rest.
        per_item = size / max(1, len(content.items))
        drop = max(1, math.ceil((size - budget) / per_item))
        from_most_read = min(drop, droppable_most_read)
        from_new = min(drop - from_most_read, droppable_new)
        content = content.without_items(from_most_read, from_new)
        html_out, text_out, pattern, size = _render_once(
            content, dirs=dirs, template=template, text_template=text_name,
            transfer_encoding=transfer_encoding,
        )
    over = size > budget
    if content.trimmed:
        log.warning(
            "digest %s issue %d: HTML over Gmail's %d-byte clip (%s); left out %d of %d items",
            original.newsletter_id, original.issue_number, max_html_bytes, transfer_encoding,
            content.trimmed, len(original.items),
        )
    if over:
        log.warning(
            "digest %s issue %d: HTML is %d bytes in %s, over Gmail's %d-byte clip even "
            "with one item; check the template", content.newsletter_id, content.issue_number,
            size, transfer_encoding, max_html_bytes,
        )
    return RenderedSegment(
        key=segment_key(content),
        subject=subject_for(content),
        content=content,
        html_parts=tuple(pattern.split(html_out)),
        text_parts=tuple(pattern.split(text_out)),
        size_bytes=len(html_out.encode("utf-8")),
        encoded_bytes=size,
        transfer_encoding=transfer_encoding,
        over_budget=over,
    )


class SegmentRenderer:
    """Renders each distinct ``DigestContent`` once and hands back the same segment.

    Not thread-safe: call ``segment`` from one thread (``personalise`` on the segments
    it returns is safe anywhere: they are immutable).

    Keyed by the frozen content itself, so subscribers whose followed authors select
    the same columns share one render. Bounded (``max_segments``, least recently used
    dropped) so memory stays flat whatever the number of subscribers.
    """

    def __init__(
        self,
        templates_dirs: Sequence[Path | str],
        *,
        template: str = DEFAULT_TEMPLATE,
        transfer_encoding: TransferEncoding = "base64",
        max_html_bytes: int = GMAIL_CLIP_BYTES,
        max_segments: int = 256,
    ) -> None:
        self._dirs = tuple(str(d) for d in templates_dirs)
        self._template = template
        self._transfer_encoding: TransferEncoding = transfer_encoding
        self._max_html_bytes = max_html_bytes
        self._max_segments = max_segments
        self._cache: dict[DigestContent, RenderedSegment] = {}
        self.renders = 0

    def segment(self, content: DigestContent) -> RenderedSegment:
        found = self._cache.pop(content, None)
        if found is None:
            found = render_segment(
                content,
                templates_dirs=self._dirs,
                template=self._template,
                transfer_encoding=self._transfer_encoding,
                max_html_bytes=self._max_html_bytes,
            )
            self.renders += 1
            if len(self._cache) >= self._max_segments:
                self._cache.pop(next(iter(self._cache)))
        self._cache[content] = found  # re-inserted last: most recently used
        return found
