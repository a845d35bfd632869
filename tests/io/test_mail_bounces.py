"""Raw bounce e-mails, one per format family, read by app.io.mail_bounces.rows_of.

Every message is written here (invented, example.* domains) and parsed the way the importer parses
files. Each test checks the recipients found — exactly, no extras, no duplicates — and what the
classifier makes of each row, so a recipient taken from the wrong place or a diagnostic cut at the
wrong line fails.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import random
import textwrap
from collections.abc import Callable, Sequence
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.text import MIMEText
from typing import Any

import pytest

from app.core.classifier import Classifier
from app.io.importer import BounceRow
from app.io.mail_bounces import (
    AUTO_REPLY,
    COMPLAINT,
    DELAYED,
    DELIVERED,
    is_bounce_like,
    rows_of,
)

SENDER = "news@example.com"  # the list's own address: the bounce's To:, never a recipient
REMOVE_UNKNOWN = ("remove", "user_unknown")
RETRY_FULL = ("retry", "mailbox_full")


def parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def literal(text: str, charset: str = "ascii") -> bytes:
    """An RFC 5322 message written as indented text: dedented, CRLF line ends."""
    return textwrap.dedent(text).lstrip("\n").replace("\n", "\r\n").encode(charset)


def rows_from(raw: bytes) -> list[BounceRow]:
    return rows_of(parse(raw))


def recipients(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """The addresses found, lower-cased and sorted; duplicates kept so that they fail."""
    return sorted(row[0].lower() for row in rows)


def verdicts(rows: Sequence[tuple[str, ...]], classifier: Classifier) -> dict[str, tuple[str, str]]:
    found = {}
    for address, code, status, diagnostic, label, _ in rows:
        verdict = classifier.classify(diagnostic, code, status, label)
        found[address.lower()] = (verdict.action.value, verdict.reason)
    return found


def by_address(rows: Sequence[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {row[0].lower(): row for row in rows}


# --- RFC 3464 delivery status notifications -------------------------------------------------------

DSN_THREE_RECIPIENTS = literal(
    """
    Return-Path: <>
    Date: Tue, 03 Mar 2026 18:45:00 +0000
    From: Mail Delivery System <MAILER-DAEMON@mx1.example.org>
    To: Newsletter <news@example.com>
    Subject: Delivery Status Notification
    Auto-Submitted: auto-replied
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status;
    \tboundary="4F2A81C0042.1772442904/mx1.example.org"

    This is a MIME-encapsulated message.

    --4F2A81C0042.1772442904/mx1.example.org
    Content-Description: Notification
    Content-Type: text/plain; charset=us-ascii

    This is the mail system at host mx1.example.org.

    Your message could not be delivered to one recipient, is still being
    retried for another, and was delivered to a third.

                       The mail system

    --4F2A81C0042.1772442904/mx1.example.org
    Content-Description: Delivery report
    Content-Type: message/delivery-status

    Reporting-MTA: dns; mx1.example.org
    X-Postfix-Queue-ID: 4F2A81C0042
    X-Postfix-Sender: rfc822; news@example.com
    Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000

    Final-Recipient: rfc822; gone.user@example.org
    Original-Recipient: rfc822;gone.user@example.org
    Action: failed
    Status: 5.1.1
    Remote-MTA: dns; mx.example.org
    Diagnostic-Code: smtp; 550 5.1.1 <gone.user@example.org>: Recipient address
        rejected: User unknown in virtual mailbox table
    Last-Attempt-Date: Mon, 02 Mar 2026 09:15:04 +0000

    Final-Recipient: rfc822; slow.box@example.jp
    Original-Recipient: rfc822;slow.box@example.jp
    Action: delayed
    Status: 4.2.2
    Remote-MTA: dns; mx.example.jp
    Diagnostic-Code: smtp; 452 4.2.2 <slow.box@example.jp>: Mailbox full

    Final-Recipient: rfc822; happy.reader@example.com
    Action: delivered
    Status: 2.0.0
    Remote-MTA: dns; mail.example.com
    Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 9A8B7C6D5E
    Last-Attempt-Date: Mon, 02 Mar 2026 09:16:30 +0000

    --4F2A81C0042.1772442904/mx1.example.org
    Content-Description: Undelivered Message Headers
    Content-Type: text/rfc822-headers

    Return-Path: <news@example.com>
    From: Newsletter <news@example.com>
    To: gone.user@example.org, quoted.only@example.org
    Cc: copied.reader@example.jp
    Subject: Our March news
    Date: Mon, 02 Mar 2026 09:14:58 +0000

    --4F2A81C0042.1772442904/mx1.example.org--
    """
)


def test_dsn_reports_each_recipient_with_its_action(classifier: Classifier) -> None:
    rows = rows_from(DSN_THREE_RECIPIENTS)

    assert recipients(rows) == [
        "gone.user@example.org",
        "happy.reader@example.com",
        "slow.box@example.jp",
    ]
    found = by_address(rows)
    assert found["gone.user@example.org"][2] == "5.1.1"
    assert "User unknown in virtual mailbox table" in found["gone.user@example.org"][3]
    assert found["gone.user@example.org"][4] == ""
    assert found["slow.box@example.jp"][4] == DELAYED
    assert found["happy.reader@example.com"][4] == DELIVERED
    assert verdicts(rows, classifier) == {
        "gone.user@example.org": REMOVE_UNKNOWN,
        "slow.box@example.jp": ("keep", "delivered"),
        "happy.reader@example.com": ("keep", "delivered"),
    }


def test_dsn_dates_come_from_last_attempt_then_arrival_date() -> None:
    found = by_address(rows_from(DSN_THREE_RECIPIENTS))

    assert found["gone.user@example.org"][5] == "2026-03-02 09:15:04"  # its Last-Attempt-Date
    assert found["happy.reader@example.com"][5] == "2026-03-02 09:16:30"
    assert found["slow.box@example.jp"][5] == "2026-03-02 09:15:00"  # the report's Arrival-Date


DSN_AUTO_SUBMITTED = literal(
    """
    From: MAILER-DAEMON@mx2.example.org (Mail Delivery System)
    To: news@example.com
    Subject: Undelivered Mail Returned to Sender
    Date: Wed, 04 Mar 2026 07:00:00 +0100
    Auto-Submitted: auto-replied
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"

    --B0UND
    Content-Type: text/plain; charset=us-ascii

    This is the mail system at host mx2.example.org.

    I'm sorry to have to inform you that your message could not
    be delivered to one or more recipients. It's attached below.

    --B0UND
    Content-Type: message/delivery-status

    Reporting-MTA: dns; mx2.example.org

    Final-Recipient: rfc822; no.such.person@example.org
    Action: failed
    Status: 5.1.1
    Diagnostic-Code: smtp; 550 5.1.1 <no.such.person@example.org>: User unknown

    --B0UND
    Content-Type: message/rfc822

    From: news@example.com
    To: no.such.person@example.org
    Subject: Out of office season is over: our spring offers

    Hello!
    --B0UND--
    """
)


def test_dsn_marked_auto_submitted_is_a_bounce_not_an_auto_reply(classifier: Classifier) -> None:
    rows = rows_from(DSN_AUTO_SUBMITTED)

    assert recipients(rows) == ["no.such.person@example.org"]
    assert rows[0][4] != AUTO_REPLY
    assert verdicts(rows, classifier) == {"no.such.person@example.org": REMOVE_UNKNOWN}


DSN_BROKEN_BOUNDARY = literal(
    """
    From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.jp>
    To: <news@example.com>
    Subject: Returned mail: User unknown
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status;
    \tboundary="=_declared_boundary_1234"

    This is a MIME-encapsulated message

    --=_actual_boundary_9876
    Content-Type: text/plain

    The original message was received at Thu, 5 Mar 2026 10:00:00 +0900

       ----- The following addresses had permanent fatal errors -----

    --=_actual_boundary_9876
    Content-Type: message/delivery-status

    Reporting-MTA: dns; relay.example.jp
    Arrival-Date: Thu, 5 Mar 2026 10:00:00 +0900

    Final-Recipient: RFC822; kenji.sato@example.jp
    Action: failed
    Status: 5.1.1
    Diagnostic-Code: SMTP; 550 5.1.1 <kenji.sato@example.jp>... User unknown
    Last-Attempt-Date: Thu, 5 Mar 2026 10:00:02 +0900

    --=_actual_boundary_9876
    Content-Type: text/rfc822-headers

    From: news@example.com
    To: kenji.sato@example.jp
    Cc: other.reader@example.jp

    --=_actual_boundary_9876--
    """
)


def test_dsn_with_a_broken_mime_structure_is_read_from_its_text(classifier: Classifier) -> None:
    message = parse(DSN_BROKEN_BOUNDARY)
    assert message.defects  # the fixture really is broken: the declared boundary never occurs
    rows = rows_of(message)

    assert recipients(rows) == ["kenji.sato@example.jp"]
    assert rows[0][2] == "5.1.1"
    assert verdicts(rows, classifier) == {"kenji.sato@example.jp": REMOVE_UNKNOWN}


DSN_GLOBAL = literal(
    """
    From: Mail Delivery System <MAILER-DAEMON@mx3.example.org>
    To: news@example.com
    Subject: Undelivered Mail Returned to Sender
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=global-delivery-status; boundary="G"

    --G
    Content-Type: text/plain; charset=utf-8

    This is the mail system at host mx3.example.org.

    Your message could not be delivered.

    --G
    Content-Type: message/global-delivery-status

    Reporting-MTA: dns; mx3.example.org
    Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000

    Final-Recipient: rfc822; chloe.moreau@example.org
    Action: failed
    Status: 5.2.2
    Diagnostic-Code: smtp; 552 5.2.2 <chloe.moreau@example.org>: Mailbox full
    Last-Attempt-Date: Mon, 02 Mar 2026 09:15:04 +0000

    Final-Recipient: rfc822; noah.lefevre@example.org
    Action: delayed
    Status: 4.4.1
    Diagnostic-Code: smtp; 451 4.4.1 connection to mx.example.org timed out

    --G--
    """
)


def test_global_delivery_status_rfc6533_is_read_like_a_dsn(classifier: Classifier) -> None:
    rows = rows_from(DSN_GLOBAL)

    assert recipients(rows) == ["chloe.moreau@example.org", "noah.lefevre@example.org"]
    found = by_address(rows)
    assert [found[a][2] for a in sorted(found)] == ["5.2.2", "4.4.1"]  # the Status: fields
    assert [found[a][4] for a in sorted(found)] == ["", DELAYED]
    assert found["chloe.moreau@example.org"][5] == "2026-03-02 09:15:04"
    assert "Mailbox full" in found["chloe.moreau@example.org"][3]
    assert verdicts(rows, classifier) == {
        "chloe.moreau@example.org": RETRY_FULL,
        "noah.lefevre@example.org": ("keep", "delivered"),
    }


# --- plain-text MTA bounces -----------------------------------------------------------------------

POSTFIX = literal(
    """
    From: MAILER-DAEMON@mx1.example.org (Mail Delivery System)
    To: news@example.com
    Subject: Undelivered Mail Returned to Sender
    Date: Mon, 02 Mar 2026 10:00:00 +0000
    Content-Type: text/plain; charset=us-ascii

    This is the mail system at host mx1.example.org.

    I'm sorry to have to inform you that your message could not
    be delivered to one or more recipients. It's attached below.

    For further assistance, please send mail to postmaster.

    If you do so, please include this problem report. You can
    delete your own text from the attached returned message.

                       The mail system

    <jan.novak@example.jp>: host mx.example.jp[192.0.2.25] said: 550 5.1.1
        <jan.novak@example.jp>: Recipient address rejected: User unknown in local
        recipient table (in reply to RCPT TO command)

    --- Original message follows.

    From: Newsletter <news@example.com>
    To: jan.novak@example.jp
    Cc: eva.svoboda@example.org
    Subject: Our March news
    """
)

EXIM_HEAD = """
    From: Mail Delivery System <Mailer-Daemon@mail.example.org>
    To: news@example.com
    Subject: Mail delivery failed: returning message to sender
    Date: Mon, 02 Mar 2026 11:00:00 +0000
    Auto-Submitted: auto-replied
    """
EXIM_BODY = """
    Content-Type: text/plain; charset=us-ascii

    This message was created automatically by mail delivery software.

    A message that you sent could not be delivered to one or more of its
    recipients. This is a permanent error. The following address(es) failed:

      karl.berg@example.org
        host mx.example.org [192.0.2.7]
        SMTP error from remote mail server after RCPT TO:<karl.berg@example.org>:
        550 5.1.1 <karl.berg@example.org>: Recipient address rejected: User unknown
      full.box@example.jp
        host mx.example.jp [192.0.2.8]
        SMTP error from remote mail server after RCPT TO:<full.box@example.jp>:
        552 5.2.2 <full.box@example.jp>: Mailbox full

    ------ This is a copy of the message, including all the headers. ------

    Return-path: <news@example.com>
    Received: from news by mail.example.com with local (Exim 4.96)
    \t(envelope-from <news@example.com>)
    From: Newsletter <news@example.com>
    To: karl.berg@example.org, full.box@example.jp
    Cc: boss@example.org, quoted.reader@example.com
    Reply-To: replies@example.com
    Subject: Our March news

    Dear reader, write to helpdesk@example.org for help.
    """
EXIM_WITH_HEADER = literal(
    EXIM_HEAD + "    X-Failed-Recipients: karl.berg@example.org, full.box@example.jp" + EXIM_BODY
)
EXIM_WITHOUT_HEADER = literal(EXIM_HEAD.rstrip("\n ") + EXIM_BODY)

SENDMAIL = literal(
    """
    From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>
    To: <news@example.com>
    Subject: Returned mail: see transcript for details
    Auto-Submitted: auto-generated (failure)
    Content-Type: text/plain

    The original message was received at Mon, 2 Mar 2026 10:12:01 +0100
    from relay.example.com [192.0.2.1]

       ----- The following addresses had permanent fatal errors -----
    <pierre.martin@example.org>
        (reason: 550 5.1.1 <pierre.martin@example.org>... User unknown)

       ----- Transcript of session follows -----
    ... while talking to mx.example.org.:
    >>> DATA
    <<< 550 5.1.1 <pierre.martin@example.org>... User unknown
    550 5.1.1 <pierre.martin@example.org>... User unknown
    <<< 503 5.0.0 Need RCPT (recipient)

       ----- Original message follows -----

    Return-Path: <news@example.com>
    From: news@example.com
    To: pierre.martin@example.org
    Cc: sophie.bernard@example.org
    Subject: Our March news
    """
)

QMAIL = literal(
    """
    From: MAILER-DAEMON@mail.example.jp
    To: news@example.com
    Subject: failure notice
    Content-Type: text/plain

    Hi. This is the qmail-send program at mail.example.jp.
    I'm afraid I wasn't able to deliver your message to the following addresses.
    This is a permanent error; I've given up. Sorry it didn't work out.

    <taro.suzuki@example.jp>:
    192.0.2.9 does not like recipient.
    Remote host said: 552 5.2.2 <taro.suzuki@example.jp>... Mailbox full
    Giving up on 192.0.2.9.

    --- Below this line is a copy of the message.

    Return-Path: <news@example.com>
    From: news@example.com
    To: taro.suzuki@example.jp
    Cc: hanako.suzuki@example.jp
    Subject: Our March news
    """
)

EXCHANGE_HTML = literal(
    """
    From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>
    To: Newsletter <news@example.com>
    Subject: Undeliverable: Our March news
    Date: Mon, 2 Mar 2026 12:00:00 +0000
    MIME-Version: 1.0
    Content-Type: text/html; charset="us-ascii"
    Content-Transfer-Encoding: 7bit

    <html><head><style>p { margin: 0 }</style></head><body>
    <p><b><font color="#000066" size="3">Delivery has failed to these recipients or
    groups:</font></b></p>
    <p><a href="mailto:aiko.tanaka@example.jp">aiko.tanaka@example.jp</a><br>
    The email address you entered couldn't be found. Please check the recipient's email
    address and try to resend the message.</p>
    <p><font color="#808080">Diagnostic information for administrators:</font></p>
    <p>Generating server: EXCH01.example.com</p>
    <p>aiko.tanaka@example.jp<br>
    Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found
    by SMTP address lookup'</p>
    <p>Original message headers:</p>
    <pre>Received: from EXCH02.example.com (192.0.2.40) by EXCH01.example.com
    From: Newsletter &lt;news@example.com&gt;
    To: &lt;aiko.tanaka@example.jp&gt;
    CC: &lt;kaori.ito@example.jp&gt;
    Subject: Our March news
    </pre>
    </body></html>
    """
)

GMAIL = literal(
    """
    From: Mail Delivery Subsystem <mailer-daemon@mail.example.com>
    To: news@example.com
    Subject: Delivery Status Notification (Failure)
    Auto-Submitted: auto-replied
    Content-Type: text/plain; charset=UTF-8

    Delivery to the following recipient failed permanently:

         lena.fischer@example.org

    Technical details of permanent failure:
    Google tried to deliver your message, but it was rejected by the server for the
    recipient domain example.org by mx.example.org. [192.0.2.30].

    The error that the other server returned was:
    550 5.1.1 <lena.fischer@example.org>: Recipient address rejected: User unknown

    ----- Original message -----

    DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1
    From: news@example.com
    To: lena.fischer@example.org
    Cc: max.weber@example.org
    Subject: Our March news
    """
)

DOMINO = literal(
    """
    From: Postmaster@notes.example.org
    To: news@example.com
    Subject: DELIVERY FAILURE: User hans.meier (hans.meier@example.org) not listed in Domino
     Directory
    Content-Type: text/plain; charset=us-ascii

    Your message

      Subject: Our March news

    was not delivered to:

      hans.meier@example.org

    because:

      User hans.meier (hans.meier@example.org) not listed in Domino Directory
    """
)


PLAIN_TEXT_FAMILIES = [
    pytest.param(POSTFIX, {"jan.novak@example.jp": REMOVE_UNKNOWN}, id="postfix"),
    pytest.param(
        EXIM_WITH_HEADER,
        {"karl.berg@example.org": REMOVE_UNKNOWN, "full.box@example.jp": RETRY_FULL},
        id="exim-x-failed-recipients",
    ),
    pytest.param(
        EXIM_WITHOUT_HEADER,
        {"karl.berg@example.org": REMOVE_UNKNOWN, "full.box@example.jp": RETRY_FULL},
        id="exim-text-only",
    ),
    pytest.param(SENDMAIL, {"pierre.martin@example.org": REMOVE_UNKNOWN}, id="sendmail"),
    pytest.param(QMAIL, {"taro.suzuki@example.jp": RETRY_FULL}, id="qmail"),
    pytest.param(EXCHANGE_HTML, {"aiko.tanaka@example.jp": REMOVE_UNKNOWN}, id="exchange-html"),
    pytest.param(GMAIL, {"lena.fischer@example.org": REMOVE_UNKNOWN}, id="gmail"),
    pytest.param(DOMINO, {"hans.meier@example.org": REMOVE_UNKNOWN}, id="domino"),
]


@pytest.mark.parametrize(("raw", "expected"), PLAIN_TEXT_FAMILIES)
def test_plain_text_bounce_families(
    raw: bytes, expected: dict[str, tuple[str, str]], classifier: Classifier
) -> None:
    rows = rows_from(raw)

    assert recipients(rows) == sorted(expected)
    assert verdicts(rows, classifier) == expected
    assert all(row[4] == "" for row in rows)  # a bounce: no not-a-bounce label


@pytest.mark.parametrize(("raw", "expected"), PLAIN_TEXT_FAMILIES)
def test_plain_text_diagnostic_names_the_recipients_own_error(
    raw: bytes, expected: dict[str, tuple[str, str]]
) -> None:
    """Each recipient's diagnostic is about that recipient (the Exim report holds two)."""
    for address, _code, _status, diagnostic, *_ in rows_from(raw):
        assert address.lower() in diagnostic.lower()
        others = [a for a in expected if a != address.lower()]
        assert not any(other in diagnostic.lower() for other in others), diagnostic


def test_plain_text_rows_are_dated_by_the_bounce() -> None:
    assert [row[5] for row in rows_from(POSTFIX)] == ["2026-03-02 10:00:00"]
    assert [row[5] for row in rows_from(EXIM_WITH_HEADER)] == ["2026-03-02 11:00:00"] * 2


def test_exim_diagnostic_stops_before_the_returned_message() -> None:
    for raw in (EXIM_WITH_HEADER, EXIM_WITHOUT_HEADER):
        for row in rows_from(raw):
            assert "Our March news" not in row[3]
            assert "boss@example.org" not in row[3]


# --- Amazon SES notifications mailed by SNS -------------------------------------------------------


def ses_event(address: str, status: str, diagnostic: str, subtype: str) -> dict[str, Any]:
    return {
        "notificationType": "Bounce",
        "bounce": {
            "feedbackId": "0100018e-1234-5678-9abc-def012345678-000000",
            "bounceType": "Permanent",
            "bounceSubType": subtype,
            "bouncedRecipients": [
                {
                    "emailAddress": address,
                    "action": "failed",
                    "status": status,
                    "diagnosticCode": diagnostic,
                }
            ],
            "timestamp": "2026-03-02T10:20:30.000Z",
            "reportingMTA": "dsn; a1-2.smtp-out.example.com",
        },
        "mail": {
            "timestamp": "2026-03-02T10:20:29.000Z",
            "source": SENDER,
            "destination": [address],
            "commonHeaders": {"from": [SENDER], "to": [address], "subject": "Our March news"},
        },
    }


def sns_mail(body: str) -> bytes:
    head = literal(
        """
        From: AWS Notifications <no-reply@sns.example.com>
        To: ops@example.com
        Subject: AWS Notification Message
        Content-Type: text/plain; charset=UTF-8

        """
    )
    return head + body.replace("\n", "\r\n").encode()


SES_UNKNOWN = ses_event("mia.lopez@example.org", "5.1.1", "smtp; 550 5.1.1 user unknown", "General")
SES_SUPPRESSED = ses_event(
    "leo.garcia@example.org",
    "5.1.1",
    "Amazon SES has suppressed sending to this address because it has a recent history of "
    "bouncing as an invalid address.",
    "Suppressed",
)
SNS_FOOTER = (
    "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit "
    "the link below to unsubscribe:\nhttps://sns.example.com/unsubscribe.html?SubscriptionArn=x\n"
)


def sns_envelope(event: dict[str, Any]) -> str:
    return json.dumps({"Type": "Notification", "MessageId": "4d1e", "Message": json.dumps(event)})


@pytest.mark.parametrize(
    ("body", "address"),
    [
        pytest.param(sns_envelope(SES_UNKNOWN), "mia.lopez@example.org", id="email-json-envelope"),
        pytest.param(json.dumps(SES_UNKNOWN), "mia.lopez@example.org", id="bare-ses-event"),
        pytest.param(
            sns_envelope(SES_SUPPRESSED),
            "leo.garcia@example.org",
            id="suppressed-no-bounce-words",
        ),
        pytest.param(
            json.dumps(SES_UNKNOWN) + SNS_FOOTER,
            "mia.lopez@example.org",
            id="email-protocol-with-footer",
        ),
    ],
)
def test_amazon_ses_notification_mailed_by_sns(
    body: str, address: str, classifier: Classifier
) -> None:
    rows = rows_from(sns_mail(body))

    assert recipients(rows) == [address]
    _, _, status, _, label, date = rows[0]
    assert status == "5.1.1"
    assert label.lower().startswith("permanent")
    assert date.startswith("2026-03-02")
    assert verdicts(rows, classifier)[address] == REMOVE_UNKNOWN


# --- other languages and encodings ----------------------------------------------------------------

GERMAN_BODY = """\
Dies ist eine automatisch erstellte Nachricht des Mailservers mx.example.org.

Ihre Nachricht konnte nicht zugestellt werden. Die Zustellung an folgenden
Empfänger ist endgültig fehlgeschlagen:

  juergen.mueller@example.org
    550 5.1.1 <juergen.mueller@example.org>: Empfänger unbekannt, Postfach existiert nicht

------ Ursprüngliche Nachricht ------
From: news@example.com
To: juergen.mueller@example.org
Cc: grüße@example.org, petra.schulz@example.org
"""


def german_bounce() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Mailserver <mailer@mx.example.org>"
    msg["To"] = SENDER
    msg["Subject"] = "Unzustellbar: Unser Newsletter für März"
    msg.set_content(GERMAN_BODY, charset="iso-8859-1", cte="quoted-printable")
    return msg.as_bytes()


FRENCH_BODY = """\
Ceci est un message automatique du serveur mx.example.org.

Votre message n'a pas pu être remis au destinataire suivant :

  camille.durand@example.org
    Adresse électronique introuvable : utilisateur inconnu sur ce serveur.

------ Message d'origine ------
De : news@example.com
À : camille.durand@example.org
Cc : julien.petit@example.org
"""


def french_bounce() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Serveur de messagerie <courrier@mx.example.org>"
    msg["To"] = SENDER
    msg["Subject"] = "Non remis : Notre lettre d'information de mars"
    msg.set_content(FRENCH_BODY, charset="utf-8", cte="base64")
    return msg.as_bytes()


JAPANESE_BODY = """\
このメールはシステムから自動送信されています。

以下の宛先へのメールは配信できませんでした。

宛先: <{address}>
理由: 550 5.1.1 User unknown （指定されたユーザーは存在しません）

------ 元のメッセージ ------
From: news@example.com
To: {address}
Cc: kimura.jiro@example.jp
"""


def iso_2022_jp_bounce() -> bytes:
    msg = MIMEText(JAPANESE_BODY.format(address="yamada.taro@example.jp"), "plain", "iso-2022-jp")
    msg["From"] = "MAILER-DAEMON@mail.example.jp"
    msg["To"] = SENDER
    msg["Subject"] = Header("配信エラー", "iso-2022-jp").encode()
    return msg.as_bytes()


def shift_jis_bounce() -> bytes:
    subject = base64.b64encode("配信エラー".encode("shift_jis")).decode()
    head = literal(
        f"""
        From: postmaster@mail.example.jp
        To: news@example.com
        Subject: =?Shift_JIS?B?{subject}?=
        MIME-Version: 1.0
        Content-Type: text/plain; charset=Shift_JIS
        Content-Transfer-Encoding: 8bit

        """
    )
    body = JAPANESE_BODY.format(address="sato.hanako@example.jp")
    return head + body.replace("\n", "\r\n").encode("shift_jis")


@pytest.mark.parametrize(
    ("make", "address", "marker", "decoded"),
    [
        pytest.param(
            german_bounce,
            "juergen.mueller@example.org",
            b"=FC",
            "Empfänger unbekannt",
            id="german-quoted-printable-latin1",
        ),
        pytest.param(
            french_bounce,
            "camille.durand@example.org",
            b"Content-Transfer-Encoding: base64",
            "Adresse électronique introuvable",
            id="french-base64-utf8",
        ),
        pytest.param(
            iso_2022_jp_bounce,
            "yamada.taro@example.jp",
            b"\x1b$B",
            "指定されたユーザーは存在しません",
            id="japanese-iso-2022-jp",
        ),
        pytest.param(
            shift_jis_bounce,
            "sato.hanako@example.jp",
            "存在".encode("shift_jis"),
            "指定されたユーザーは存在しません",
            id="japanese-shift-jis",
        ),
    ],
)
def test_bounces_in_other_languages_and_encodings(
    make: Callable[[], bytes], address: str, marker: bytes, decoded: str, classifier: Classifier
) -> None:
    raw = make()
    assert marker in raw  # the fixture really is in the encoding it claims
    rows = rows_from(raw)

    assert recipients(rows) == [address]
    assert decoded in rows[0][3]
    assert verdicts(rows, classifier) == {address: REMOVE_UNKNOWN}


def test_japanese_subject_alone_makes_a_bounce() -> None:
    """'配信エラー' in an encoded subject is what marks the Shift_JIS mail as a bounce."""
    message = parse(shift_jis_bounce())
    message.replace_header("From", "System <system@mail.example.jp>")  # no daemon sender
    assert is_bounce_like(message)
    assert recipients(rows_of(message)) == ["sato.hanako@example.jp"]


# --- the recipient never comes from the bounce's own headers or the returned copy ----------------

OWN_ADDRESSES_IN_REPORT = literal(
    """
    From: Delivery Reports <delivery-reports@mx.example.org>
    To: Newsletter <news@example.com>
    Reply-To: helpdesk@mx.example.org
    Subject: Delivery failure
    Content-Type: text/plain

    Report generated by:
      delivery-reports@mx.example.org
    Message from:
      news@example.com
    could not be delivered to:
      ines.ferreira@example.org
    Reason: 550 5.1.1 User unknown
    Questions? Write to:
      helpdesk@mx.example.org
    """
)


def test_the_bounces_own_addresses_are_never_recipients(classifier: Classifier) -> None:
    rows = rows_from(OWN_ADDRESSES_IN_REPORT)

    assert recipients(rows) == ["ines.ferreira@example.org"]
    assert verdicts(rows, classifier) == {"ines.ferreira@example.org": REMOVE_UNKNOWN}


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(EXIM_WITHOUT_HEADER, id="exim"),
        pytest.param(POSTFIX, id="postfix"),
        pytest.param(SENDMAIL, id="sendmail"),
        pytest.param(QMAIL, id="qmail"),
        pytest.param(GMAIL, id="gmail"),
        pytest.param(EXCHANGE_HTML, id="exchange"),
        pytest.param(DSN_THREE_RECIPIENTS, id="dsn"),
        pytest.param(DSN_BROKEN_BOUNDARY, id="dsn-broken"),
    ],
)
def test_no_recipient_comes_from_the_returned_message(raw: bytes) -> None:
    message = parse(raw)
    quoted = {
        "eva.svoboda@example.org",
        "boss@example.org",
        "quoted.reader@example.com",
        "replies@example.com",
        "helpdesk@example.org",
        "sophie.bernard@example.org",
        "hanako.suzuki@example.jp",
        "kaori.ito@example.jp",
        "max.weber@example.org",
        "quoted.only@example.org",
        "copied.reader@example.jp",
        "other.reader@example.jp",
    }
    own = {SENDER, "mailer-daemon@mail.example.org", "mailer-daemon@mx1.example.org"}
    found = set(recipients(rows_of(message)))

    assert found  # it is a bounce
    assert not found & quoted
    assert not found & own


def test_a_quoted_original_with_no_report_lines_gives_no_quoted_recipient() -> None:
    """Only the returned copy names addresses: nothing may be taken from it."""
    raw = literal(
        """
        From: Mail Delivery System <Mailer-Daemon@mail.example.org>
        To: news@example.com
        Subject: Mail delivery failed: returning message to sender
        Content-Type: text/plain

        This message was created automatically by mail delivery software.
        A message that you sent could not be delivered. The recipient's server
        gave no details.

        ------ This is a copy of the message, including all the headers. ------

        From: news@example.com
        To: alice.quoted@example.org
        Cc: bob.quoted@example.org
        """
    )
    found = recipients(rows_from(raw))
    assert "alice.quoted@example.org" not in found
    assert "bob.quoted@example.org" not in found


# --- not bounces: complaints, auto-replies, ordinary mail -----------------------------------------


def arf_report(
    feedback_fields: str, original_to: str, original_type: str = "message/rfc822"
) -> bytes:
    return literal(
        f"""
        From: Feedback Loop <fbl@feedback.example.org>
        To: abuse@example.com
        Subject: FW: Our March news
        Date: Tue, 03 Mar 2026 08:00:00 +0000
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report;
        \tboundary="part1_13d.2e68ed54_arf"

        --part1_13d.2e68ed54_arf
        Content-Type: text/plain; charset="US-ASCII"
        Content-Transfer-Encoding: 7bit

        This is an email abuse report for an email message received from IP
        192.0.2.1 on Mon, 02 Mar 2026 09:15:00 +0000.

        --part1_13d.2e68ed54_arf
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: ExampleFBL/0.1
        Version: 1
        Original-Mail-From: <bounces@example.com>
        {feedback_fields}
        Source-IP: 192.0.2.1
        Reported-Domain: example.com

        --part1_13d.2e68ed54_arf
        Content-Type: {original_type}
        Content-Disposition: inline

        From: <news@example.com>
        To: {original_to}
        Subject: Our March news
        Date: Mon, 02 Mar 2026 09:14:58 +0000

        Hello! Write to help@example.com with questions.
        --part1_13d.2e68ed54_arf--
        """
    )


@pytest.mark.parametrize(
    ("raw", "address", "date"),
    [
        pytest.param(
            arf_report(
                "Original-Rcpt-To: <reader.one@example.org>\n"
                "        Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000",
                "<list-alias@example.org>",
            ),
            "reader.one@example.org",
            "2026-03-02 09:15:00",
            id="original-rcpt-to",
        ),
        pytest.param(
            arf_report("Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000", "<reader.two@example.jp>"),
            "reader.two@example.jp",
            "2026-03-02 09:15:00",
            id="redacted-rcpt-from-original-to",
        ),
        pytest.param(
            arf_report(
                "Arrival-Date: Mon, 02 Mar 2026 09:15:00 +0000",
                "Reader Three <reader.three@example.com>",
                "text/rfc822-headers",
            ),
            "reader.three@example.com",
            "2026-03-02 09:15:00",
            id="rfc822-headers-original",
        ),
    ],
)
def test_arf_feedback_report_is_a_complaint(
    raw: bytes, address: str, date: str, classifier: Classifier
) -> None:
    rows = rows_from(raw)

    assert recipients(rows) == [address]
    assert rows[0][4] == COMPLAINT
    assert rows[0][5] == date
    assert verdicts(rows, classifier) == {address: ("remove", "complaint")}


def auto_reply(subject: str, auto_submitted: bool, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Maria Rossi <maria.rossi@example.org>"
    msg["To"] = "Newsletter <news@example.com>"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 04 Mar 2026 09:30:00 +0000"
    if auto_submitted:
        msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(body)
    return msg.as_bytes()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(
            auto_reply(
                "Out of Office: Our March news",
                True,
                "I am out of the office until 10 March with limited access to email.\n"
                "For urgent matters please contact anna.bianchi@example.org.\n",
            ),
            id="auto-submitted-out-of-office",
        ),
        pytest.param(
            auto_reply(
                "Automatische Antwort: Unser Newsletter für März",
                False,
                "Vielen Dank für Ihre Nachricht. Ich bin bis zum 10. März nicht im Büro.\n"
                "In dringenden Fällen wenden Sie sich bitte an anna.bianchi@example.org.\n",
            ),
            id="automatische-antwort-subject",
        ),
        pytest.param(
            auto_reply(
                "Réponse automatique : Notre lettre de mars",
                False,
                "Je suis absente du bureau jusqu'au 10 mars.\n"
                "En cas d'urgence, écrivez à anna.bianchi@example.org.\n",
            ),
            id="reponse-automatique-subject",
        ),
        pytest.param(
            auto_reply(
                "Automatic reply: Frost warning: protect your seedlings",
                True,
                "I am out of the office until 10 March with limited access to email.\n"
                "For urgent matters please contact anna.bianchi@example.org.\n",
            ),
            id="auto-submitted-reply-to-a-warning-subject",
        ),
    ],
)
def test_auto_replies_name_their_sender(raw: bytes, classifier: Classifier) -> None:
    rows = rows_from(raw)

    assert recipients(rows) == ["maria.rossi@example.org"]
    assert rows[0][4] == AUTO_REPLY
    assert rows[0][5] == "2026-03-04 09:30:00"
    assert verdicts(rows, classifier) == {"maria.rossi@example.org": ("keep", "auto_reply")}


@pytest.mark.parametrize(
    "subject",
    [
        pytest.param("Re: Our March news", id="plain-subject"),
        pytest.param(
            "Re: Frost warning: protect your seedlings (our March news)",
            id="newsletter-subject-with-bounce-word",
        ),
    ],
)
def test_an_ordinary_reply_from_a_person_is_no_bounce(subject: str) -> None:
    msg = EmailMessage()
    msg["From"] = "Paul Durand <paul.durand@example.org>"
    msg["To"] = "Newsletter <news@example.com>"
    msg["Subject"] = subject
    msg.set_content(
        "Hi,\n\nThanks for the March news! Could you add my colleague jo.lambert@example.org\n"
        "to the list? She asked me to forward it every month.\n\nBest,\nPaul\n\n"
        "> On Mon, 2 Mar 2026, Newsletter <news@example.com> wrote:\n> Our March news\n"
    )
    message = parse(msg.as_bytes())

    assert not is_bounce_like(message)
    assert rows_of(message) == []


# --- damaged input --------------------------------------------------------------------------------

UNKNOWN_CHARSET = literal(
    """
    From: MAILER-DAEMON@mx1.example.org (Mail Delivery System)
    To: news@example.com
    Subject: =?x-unknown-foo?q?Undelivered_Mail_Returned_to_Sender?=
    MIME-Version: 1.0
    Content-Type: text/plain; charset="x-unknown-foo"
    Content-Transfer-Encoding: 8bit

    This is the mail system at host mx1.example.org.

    <olga.petrova@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1
        <olga.petrova@example.org>: User unknown (in reply to RCPT TO command)
    """
)

BROKEN_MESSAGES = [
    pytest.param(b"", id="empty"),
    pytest.param(random.Random(20260302).randbytes(4096), id="binary-garbage"),
    pytest.param(b"\x00\xff\xfe" * 200 + b"\r\n\r\n" + b"\x80" * 100, id="nul-and-high-bytes"),
    pytest.param(UNKNOWN_CHARSET, id="unknown-charset"),
    pytest.param(
        literal(
            """
            From: MAILER-DAEMON@mx.example.org
            Subject: Undelivered Mail
            Content-Type: multipart/report; report-type=delivery-status; boundary="X"

            --X
            Content-Type: text/plain; charset="utf-8"
            Content-Transfer-Encoding: base64

            VGhpcyBpcyB0aGUgbWFpbCBzeXN0ZW0gYXQ=gaW5
            --X
            Content-Type: message/delivery-status

            Final-Recipient: rfc822;
            Status: 5.1.1
            """
        ),
        id="truncated-multipart-bad-base64",
    ),
    pytest.param(
        "From: Mäiler <daemon@mx.example.org>\r\nSubject: Unzustellbar: für dich\r\n"
        "Content-Type: text/plain\r\n\r\n<x@example.org>: 550 5.1.1 unbekannt\r\n".encode(),
        id="raw-8bit-headers",
    ),
    pytest.param(
        b"Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; \r\nAction\r\n",
        id="bare-delivery-status",
    ),
    pytest.param(
        b"Content-Type: multipart/report; report-type=feedback-report; boundary=Z\r\n\r\n--Z--\r\n",
        id="empty-feedback-report",
    ),
]


@pytest.mark.parametrize("raw", BROKEN_MESSAGES)
def test_broken_messages_never_raise(raw: bytes) -> None:
    rows = rows_of(parse(raw))

    assert isinstance(rows, list)
    for row in rows:
        assert len(row) == 6
        assert all(isinstance(cell, str) for cell in row)
        assert "@" in row[0]


def test_empty_message_gives_no_rows() -> None:
    assert rows_of(parse(b"")) == []


def test_unknown_charset_still_gives_the_recipient(classifier: Classifier) -> None:
    rows = rows_from(UNKNOWN_CHARSET)

    assert recipients(rows) == ["olga.petrova@example.org"]
    assert verdicts(rows, classifier) == {"olga.petrova@example.org": REMOVE_UNKNOWN}
