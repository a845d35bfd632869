"""Rebuild the bundled sample files (deterministic): `python resources/samples/make_samples.py`.

Invented people, realistic layouts: a shop's contact list and two email-service bounce reports
(SendGrid and Mailgun layouts) from three weekly sends, chosen so that every action, the common
reasons, a sender incident at Microsoft and Yahoo, repeated soft bounces, a duplicate, a typo
domain, an orphan bounce and a formula-looking cell all appear.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = ["Emma", "Louis", "Chloé", "Lucas", "Léa", "Hugo", "Manon", "Jules", "Camille", "Nathan",
         "Sarah", "Tom", "Inès", "Théo", "Jade", "Paul", "Alice", "Noah", "Lina", "Arthur", "Zoé",
         "Adam", "Rose", "Gabriel", "Anna", "Victor", "Julia", "Maxime", "Clara", "Ethan"]  # fmt: skip
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Fournier", "Girard"]  # fmt: skip
DOMAINS = ["gmail.com"] * 5 + ["outlook.com", "hotmail.fr", "live.fr"] * 2 + [
    "yahoo.fr", "yahoo.com", "orange.fr", "wanadoo.fr", "icloud.com", "free.fr", "laposte.net",
    "gmx.de", "atelier-martin.fr", "boulangerie-leroy.fr"]  # fmt: skip
CITIES = ["Paris", "Lyon", "Lille", "Nantes", "Bordeaux", "Toulouse", "Rennes", "Nice"]
SENDS = [datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(weeks=w) for w in range(3)]
IP = "203.0.113.25"


def ascii_name(name: str) -> str:
    return name.lower().translate(str.maketrans("éèëïôç", "eeeioc"))


def contacts(rnd: random.Random) -> list[list[str]]:
    rows = []
    for n in range(160):
        first, last = FIRST[n % len(FIRST)], rnd.choice(LAST)
        email = f"{ascii_name(first)}.{ascii_name(last)}{n}@{DOMAINS[n % len(DOMAINS)]}"
        signed = datetime(2025, 1, 1) + timedelta(days=rnd.randrange(600))
        phone = f"+33 6 {rnd.randrange(10, 99)} {rnd.randrange(10, 99)} {rnd.randrange(10, 99)} {rnd.randrange(10, 99)}"
        rows.append(
            [email, first, last, rnd.choice(CITIES), phone, signed.strftime("%Y-%m-%d"), ""]
        )
    rows[3][0] = rows[3][0].upper()  # shouting address: still valid, matched case-insensitively
    rows[7][0] = "  " + rows[7][0] + " "
    rows[12][0] = "hugo.leroy@gmial.com"  # typo domain: suggested fix, never changed
    rows[18][0] = "jade.petit @orange.fr"  # space before @: invalid
    rows[25][0] = "contact@atelier-martin.fr"
    rows[40][6] = '=HYPERLINK("http://example.com","VIP")'  # a formula-looking note, kept as is
    rows.append(
        [rows[30][0].title(), rows[30][1], rows[30][2], "Paris", "", "2026-10-01", "duplicate"]
    )
    return rows


def bounce_texts(address: str) -> dict[str, str]:
    domain = address.rpartition("@")[2]
    return {
        "gmail_unknown": "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser d2si1234567wrb.88 - gsmtp",
        "gmail_disabled": "550-5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser a7si998877wrb.12 - gsmtp",
        "gmail_full": "452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp x3si445566wrb.31 - gsmtp",
        "gmail_dmarc": "550-5.7.26 Unauthenticated email from newsletter-shop.example is not accepted due to domain's DMARC policy. Please contact the administrator of newsletter-shop.example domain if this was a legitimate mail. https://support.google.com/mail/answer/2451690 k9si556677wrb.4 - gsmtp",
        "ms_block": f"550 5.7.1 Unfortunately, messages from [{IP}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM4PEPF00027A61.eurprd04.prod.outlook.com]",
        "ms_unknown": "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DB8EUR05FT004.eop-eur05.prod.protection.outlook.com]",
        "yahoo_tss04": f"421 4.7.0 [TSS04] Messages from {IP} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "yahoo_unknown": f"554 delivery error: dd This user doesn't have a {domain} account ({address}) [0] - mta4021.mail.ir2.yahoo.com",
        "orange_full": "552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]",
        "icloud_inactive": f"550 5.1.1 <{address}>: inactive email address",
        "postfix_unknown": f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table",
        "greylisted": f"450 4.2.0 <{address}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/{domain}.html",
        "timeout": f"421 4.4.2 connect to mx1.{domain}[198.51.100.7]:25: Connection timed out",
        "no_domain": f"Host or domain name not found. Name service error for name={domain} type=MX: Host not found",
        "too_large": "552 5.3.4 Message size exceeds fixed limit",
        "spam_content": "550 5.7.1 Message content rejected, UBE, id=31337-07-1234",
        "gmx_full": f"452 4.2.2 Mailbox full: {address}",
        "abuse": f"This is an email abuse report for an email message received from IP {IP} on Mon, 09 Nov 2026 10:31:12 +0000",
        "ooo": "Je suis absente du bureau jusqu'au 16 novembre. Pour toute urgence, contactez l'accueil au 01 23 45 67 89.",
    }


def plan(emails: list[str]) -> list[tuple[int, str, str]]:
    """(send index, address, text key) for every bounce."""
    by_domain: dict[str, list[str]] = {}
    for e in emails:
        by_domain.setdefault(e.strip().lower().rpartition("@")[2], []).append(e.strip())
    out: list[tuple[int, str, str]] = []

    def interleave(*names: str) -> list[str]:
        groups = [by_domain[n] for n in names]
        return [a for batch in zip(*groups, strict=False) for a in batch]

    gmail = by_domain["gmail.com"]
    ms, yahoo = (
        interleave("outlook.com", "hotmail.fr", "live.fr"),
        interleave("yahoo.fr", "yahoo.com"),
    )
    out += [
        (0, gmail[0], "gmail_unknown"),
        (1, gmail[1], "gmail_unknown"),
        (0, gmail[2], "gmail_disabled"),
    ]
    out += [(s, gmail[3], "gmail_full") for s in range(3)]  # three sends: repeated soft bounce
    out += [(0, gmail[4], "gmail_full"), (1, gmail[4], "gmail_full")]  # two: still a retry
    out += [(0, g, "gmail_dmarc") for g in gmail[5:8]]
    out += [(1, m, "ms_block") for m in ms[:9]] + [(0, ms[10], "ms_unknown")]
    out += [(0, y, "yahoo_tss04") for y in yahoo[:5]] + [(2, yahoo[6], "yahoo_unknown")]
    out += [
        (1, by_domain["orange.fr"][0], "orange_full"),
        (0, by_domain["icloud.com"][0], "icloud_inactive"),
    ]
    company = by_domain["atelier-martin.fr"]
    out += [
        (0, company[1], "postfix_unknown"),
        (0, company[2], "greylisted"),
        (2, company[3], "too_large"),
    ]
    out += [
        (1, by_domain["boulangerie-leroy.fr"][0], "no_domain"),
        (2, by_domain["free.fr"][0], "timeout"),
    ]
    out += [
        (1, by_domain["laposte.net"][0], "spam_content"),
        (2, by_domain["gmx.de"][0], "gmx_full"),
    ]
    out += [(1, by_domain["wanadoo.fr"][0], "abuse"), (0, by_domain["free.fr"][1], "ooo")]
    out += [(2, "ancien.client@atelier-martin.fr", "postfix_unknown")]  # not in the list: an orphan
    return out


def main() -> None:
    rnd = random.Random(2026)
    rows = contacts(rnd)
    with open(HERE / "contacts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Email", "First name", "Last name", "City", "Phone", "Signed up", "Notes"])
        writer.writerows(rows)
    bounces = plan([r[0] for r in rows])
    sendgrid = [b for b in bounces if b[0] == 0]
    mailgun = [b for b in bounces if b[0] > 0]
    with open(HERE / "sendgrid_bounces.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "created", "status", "reason"])
        for n, (send, address, key) in enumerate(sendgrid):
            text = bounce_texts(address)[key]
            status = next(
                (
                    t
                    for t in text.replace("-", " ").split()
                    if t.count(".") == 2 and t[0] in "245" and t.replace(".", "").isdigit()
                ),
                "",
            )
            when = SENDS[send] + timedelta(minutes=7 * n)
            writer.writerow([address, int(when.timestamp()), status, text])
    with open(HERE / "mailgun_bounces.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["address", "code", "error", "created_at"])
        for n, (send, address, key) in enumerate(mailgun):
            text = bounce_texts(address)[key]
            code = text[:3] if text[:3].isdigit() else ""
            when = SENDS[send] + timedelta(minutes=5 * n)
            writer.writerow([address, code, text, format_datetime(when)])


if __name__ == "__main__":
    main()
