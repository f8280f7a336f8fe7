"""ICE email thread about Clearview AI trial accounts, released twice.

The first release (2019 series) withholds the deliberative passages under b5 and stamps codes in the
margin; the re-release after an appeal (2020 series) lifts b5, drops b7C from some names and stamps the
codes beside each box. Same words, different redactions: a near-duplicate pair for analytics.
All text is written for this project; every person named is fictional.
"""

from __future__ import annotations

from ingest.sample.spec import PageSpec, Record, gap, line, page, para, redact, rule

RELEASE_GROUP = "ice-clearview-thread"


def _thread(release: int) -> tuple[PageSpec, ...]:
    def r(first: str, second: str, text: str) -> str:
        """Redacted with `first` codes in release 1 and `second` in release 2 ("" = released)."""
        codes = first if release == 1 else second
        return redact(codes, text) if codes else text

    chief = r("b6,b7C", "b6", "Hector Alvarado")
    analyst = r("b6,b7C", "b6,b7C", "Rachel Okafor")
    seller = r("b6", "b6", "Tom Brennan")
    subject = "Subject: RE: Clearview AI trial accounts - next steps"
    return (
        page(
            line(f"From: {chief}"),
            line("Sent: {d:Thursday, November 14, 2019 4:52 PM}"),
            line(f"To: {analyst}"),
            line("Cc: HSI Cyber Crimes Center"),
            line(subject),
            gap(),
            para(
                "Rachel, thanks for the quick turnaround. Please hold off on creating any new trial "
                "accounts until the Office of the Principal Legal Advisor finishes its review. "
                + r(
                    "b5",
                    "",
                    "My own view is that we should stop running probe photos of U.S. citizens "
                    "through Clearview until a privacy assessment is signed.",
                )
                + " I will send written guidance by the end of next week."
            ),
            line(chief),
            line("Section Chief, Victim Identification Program"),
            line("Homeland Security Investigations"),
            rule(),
            line(f"From: {analyst}"),
            line("Sent: {d:Wednesday, November 13, 2019 10:07 AM}"),
            line(f"To: {chief}"),
            line(subject),
            gap(),
            para(
                "Hector, we now have [[b7E:27]] trial accounts across [[b7E:four field offices]]. "
                "Agents like the tool because it searches images collected from the open web and "
                "social media, which our own galleries do not cover. In one child exploitation "
                "case, face matching led to a victim identification within a day."
            ),
        ),
        page(
            para(
                r(
                    "b5",
                    "",
                    "I am less comfortable with how the accounts were created. Several agents "
                    "signed up with personal email addresses, and nobody has reviewed the terms of "
                    "service. I recommend we move everyone to one paid contract or end the trials.",
                )
            ),
            line("Rachel"),
            rule(),
            line(f"From: {seller}"),
            line("Sent: {d:Monday, November 4, 2019 2:15 PM}"),
            line(f"To: {analyst}"),
            line("Subject: Clearview AI trial accounts"),
            gap(),
            para(
                "Thank you for your interest in Clearview AI. As discussed on our call, I have set "
                "up trial accounts for the agents on your list. Each trial includes unlimited "
                "searches for thirty days. Our database now holds more than three billion publicly "
                "available images, and most law enforcement users see results in seconds."
            ),
            para(
                "An agency license starts at [[b4:$10,000]] per year for up to [[b4:five]] users. "
                "Enterprise pricing for all of ICE can be discussed once the trials end."
            ),
        ),
        page(
            para(
                "Please let me know if the team would like on-site training. We already support "
                "several DHS components and would welcome the chance to help ICE."
            ),
            line("Best regards,"),
            line(seller),
            line("Government Accounts, Clearview AI"),
            rule(),
            line(f"From: {analyst}"),
            line("Sent: {d:Friday, November 1, 2019 9:30 AM}"),
            line(f"To: {seller}"),
            line("Subject: Introductory call"),
            gap(),
            para(
                "Tom, following up on the conference, could we set up a call next week to discuss "
                "a short trial for [[b7E:the Victim Identification Program]]? I am free on "
                "{d:November 4, 2019} after 1 PM."
            ),
        ),
    )


CLEARVIEW_THREAD_2019 = Record(
    file_name="ICE_HSI_Clearview_Trial_Emails_Release1.pdf",
    title="Email thread: Clearview AI trial accounts (first release)",
    agency="agency:ice",
    bates_series="ICE-2019",
    date_source="text:email_sent",
    date_prefix="Sent:",
    font="Helvetica",
    label_format="short",
    label_position="margin",
    release_group=RELEASE_GROUP,
    release=1,
    pages=_thread(1),
)

CLEARVIEW_THREAD_2020 = Record(
    file_name="ICE_HSI_Clearview_Trial_Emails_Rerelease_2020.pdf",
    title="Email thread: Clearview AI trial accounts (re-release after appeal)",
    agency="agency:ice",
    bates_series="ICE-2020",
    date_source="text:email_sent",
    date_prefix="Sent:",
    font="Helvetica",
    label_format="paren",
    label_position="after",
    release_group=RELEASE_GROUP,
    release=2,
    pages=_thread(2),
)
