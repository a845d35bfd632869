"""More plain-text bounce layouts (Yahoo, Courier, MDaemon, Mimecast): the failed recipient is
found from the report's own lines, never from the quoted copy or the sender's address."""

from __future__ import annotations

import email
from email import policy

import pytest

from app.core.classifier import Classifier
from app.io.mail_bounces import rows_of

CASES = {
    "yahoo": b"""From: MAILER-DAEMON@yahoo.com
To: sender@shop.example
Subject: Failure Notice
Date: Mon, 2 Nov 2026 10:00:00 +0000

Sorry, we were unable to deliver your message to the following address.

<anna@example.org>:
Remote host said: 554: delivery error: dd This user doesn't have a example.org account (anna@example.org) [0] - mta1.example.org

--- Below this line is a copy of the message.

To: anna@example.org, bob@example.org
From: sender@shop.example
""",
    "courier": b"""From: Courier mail server at mx.example.net <@>
To: sender@shop.example
Subject: NOTICE: mail delivery status.
Date: Mon, 2 Nov 2026 10:00:00 +0000

This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.0.

The original message was received on Mon, 02 Nov 2026 10:00:00 +0000
from shop.example [192.0.2.9]

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<carl@example.net>:
    mx.example.net [192.0.2.10]:
>>> RCPT TO:<carl@example.net>
<<< 550 5.1.1 <carl@example.net>... User unknown
""",
    "mdaemon": b"""From: MDaemon@mail.example.com
To: sender@shop.example
Subject: Permanent Delivery Failure
Date: Mon, 2 Nov 2026 10:00:00 +0000

The attached message had PERMANENT fatal delivery errors!

After one or more unsuccessful delivery attempts the attached message has
been removed from the mail queue on this server.  The number and frequency
of delivery attempts are determined by local configuration parameters.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

--- Session Transcript ---
 Mon 2026-11-02 10:00:00: Parsing message <dd.msg>
 Mon 2026-11-02 10:00:00: *  From: sender@shop.example
 Mon 2026-11-02 10:00:00: *  To: dora@example.com
 Mon 2026-11-02 10:00:00: Attempting SMTP connection to [mx.example.com : 25]
 Mon 2026-11-02 10:00:00: --> RCPT To:<dora@example.com>
 Mon 2026-11-02 10:00:00: <-- 550 5.1.1 User unknown
--- End Transcript ---
""",
    "mimecast": b"""From: postmaster@mimecast.example
To: sender@shop.example
Subject: Undeliverable Mail
Date: Mon, 2 Nov 2026 10:00:00 +0000
Content-Type: text/plain

Your message couldn't be delivered to the recipients shown below.

emil@corp.example
  Recipient address rejected: Access denied

Reported error: 550 Rejected by header based Anti-Spoofing policy: sender@shop.example
""",
}
EXPECTED = {
    "yahoo": ("anna@example.org", "remove"),  # bob@ is only in the quoted copy
    "courier": ("carl@example.net", "remove"),
    "mdaemon": ("dora@example.com", "remove"),  # the transcript's RCPT TO, not its From
    "mimecast": ("emil@corp.example", "investigate"),  # the sender in the error is not a recipient
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_failed_recipient_and_its_action(name: str, classifier: Classifier) -> None:
    rows = rows_of(email.message_from_bytes(CASES[name], policy=policy.compat32))
    address, action = EXPECTED[name]
    assert [r[0] for r in rows] == [address]
    verdict = classifier.classify(rows[0][3], rows[0][1], rows[0][2], rows[0][4])
    assert verdict.action.value == action
