"""The readable text of a bounce: decoded (any charset, base64 or quoted-printable, HTML turned
into lines), without the returned copy of the original message."""

from __future__ import annotations

import re
from email.message import Message
from html.parser import HTMLParser

# Where the returned original starts, in the words MTAs use (several languages). Everything from
# such a line on is the sender's own message: no recipient may be taken from it.
_ORIGINAL_STARTS = re.compile(
    r"^\W*(?:"
    r"original message|(?:the )?original message (?:follows|headers?)|message text follows"
    r"|this is a copy of the message|below this line is a copy of the message"
    r"|returned message|unsent message below|undelivered message|headers of the original"
    r"|(?:the )?header of the original message|message headers follow|original message headers"
    r"|returned mail: see transcript|content-type: message/rfc822|--- ?original"
    r"|ursprüngliche nachricht|originalnachricht|message d'origine|message original"
    r"|mensaje original|messaggio originale|元のメッセージ|原文"
    r")",
    re.I,
)
# A quoted header block pasted inline: the first of these lines ends the report.
_QUOTED_HEADER = re.compile(
    r"^(?:Received|Return-Path|DKIM-Signature|Message-I[Dd]|ARC-Seal|X-Received"
    r"|Authentication-Results):",
)
_BLOCK_TAGS = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "pre", "hr"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # hopeless markup: fall back to stripping tags
        return re.sub(r"<[^>]+>", " ", html)
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(lines)


def decoded(part: Message) -> str:
    """A text part's content as str, whatever its transfer encoding and charset claim."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    charset = part.get_content_charset() or ""
    for candidate in (charset, "utf-8"):
        if candidate:
            try:
                return raw.decode(_codec(candidate))
            except (LookupError, UnicodeDecodeError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("latin-1")


def _codec(charset: str) -> str:
    charset = charset.lower().strip("\"' ")
    return {"ks_c_5601-1987": "cp949", "x-sjis": "shift_jis", "shift-jis": "shift_jis"}.get(
        charset, charset
    )


def _text_parts(msg: Message) -> list[Message]:
    """The bounce's own text parts, in order; nothing inside a returned message."""
    found: list[Message] = []

    def visit(part: Message) -> None:
        kind = part.get_content_type()
        if kind in ("message/rfc822", "text/rfc822-headers", "message/global", "message/partial"):
            return
        if part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, Message):
                    visit(sub)
        elif kind in ("text/plain", "text/html") and not _is_attachment(part):
            found.append(part)

    visit(msg)
    return found


def _broken_multipart_text(msg: Message) -> str:
    """A multipart message whose boundaries do not match: its whole body, as text."""
    payload = msg.get_payload()
    return payload if isinstance(payload, str) and msg.get_content_maintype() == "multipart" else ""


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).lower()
    return disposition.startswith("attachment") and part.get_filename() is not None


def body_text(msg: Message) -> str:
    """All the message's own text, plain parts preferred over their HTML twins."""
    parts = _text_parts(msg)
    if not parts:
        return _broken_multipart_text(msg).replace("\r\n", "\n")
    plain = [p for p in parts if p.get_content_type() == "text/plain"]
    chosen = plain if plain and any(decoded(p).strip() for p in plain) else parts
    texts = [
        html_to_text(decoded(p)) if p.get_content_type() == "text/html" else decoded(p)
        for p in chosen
    ]
    return "\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")


def report_text(msg: Message, body: str | None = None) -> str:
    """The bounce's report, cut where the returned original begins."""
    lines = (body_text(msg) if body is None else body).split("\n")
    kept: list[str] = []
    for line in lines:
        if _ORIGINAL_STARTS.match(line) or (kept and _QUOTED_HEADER.match(line)):
            break
        kept.append(line.rstrip())
    return "\n".join(kept).strip()
