"""FBI records: a face recognition pilot (born-digital) and a voice and gait pilot (scanned).

All text is written for this project; every person named is fictional.
"""

from __future__ import annotations

from ingest.sample.spec import Record, gap, line, page, para, row, rule

_BANNER = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"

REKOGNITION_MEMO = Record(
    file_name="FBI_OTD_Rekognition_Pilot_EC_2018-03-14.pdf",
    title="Electronic communication: pilot evaluation of Amazon Rekognition for face matching",
    agency="agency:fbi",
    bates_series="FBI",
    date_source="text:memo_date",
    date_prefix="Date:",
    font="Courier",
    banner=_BANNER,
    page_labels=True,
    pages=(
        page(
            line("FEDERAL BUREAU OF INVESTIGATION", align="center", bold=True),
            gap(),
            line("Precedence: ROUTINE"),
            line("Date: {d:03/14/2018}"),
            line("To: Criminal Justice Information Services"),
            line("Attn: SSA [[b6,b7C:Mark Delaney]]", indent=40),
            line("From: Operational Technology Division"),
            line("Contact: SSA [[b6,b7C:Dana Kowalski]], 540-[[b6:555-0178]]", indent=40),
            line("Approved By: [[b6,b7C:Robert Nguyen]]"),
            line("Drafted By: [[b6,b7C:Lisa Ferrante]]"),
            line("Case ID #: 319X-HQ-[[b7E:A2101455]]"),
            line("Title: PILOT EVALUATION OF AMAZON REKOGNITION"),
            line("FOR INVESTIGATIVE FACE MATCHING", indent=46),
            rule(),
            para(
                "Synopsis: To document a ninety-day pilot in which the Operational Technology "
                "Division (OTD) evaluated Amazon Rekognition, a commercial face recognition service "
                "sold by Amazon Web Services (AWS), as a source of leads in violent crime and "
                "fugitive investigations."
            ),
            para(
                "Details: On {d:December 4, 2017}, OTD opened a pilot account under an existing "
                "AWS GovCloud task order. The pilot ran through {d:March 2, 2018} and used a "
                "gallery of [[b7E:412,000]] booking photographs supplied by [[b7E:three field offices]]. "
                "No probe image left the GovCloud boundary."
            ),
        ),
        page(
            para(
                "Each probe returned a ranked list of candidates with a similarity score. The team "
                "set the threshold at [[b7E:87 percent]] after consulting the vendor. An examiner "
                "reviewed every candidate list before a lead reached a case agent, as the interim "
                "face recognition guidance of {d:June 1, 2017} requires."
            ),
            para(
                "Results: Examiners submitted 1,146 probe images. When the gallery held a true "
                "match, the subject appeared among the top five candidates in [[b7E:71 percent]] "
                "of searches. Low-light surveillance stills performed poorly. Examiners noted that "
                "lists for probes of women and of darker-skinned subjects more often held several "
                "similar-looking candidates."
            ),
            para(
                "Cost: The pilot consumed [[b4:$18,450]] in AWS charges. Amazon provided two days "
                "of technical help at no cost; its account manager, [[b6:Kevin Marsh]], asked whether "
                "the FBI would act as a public reference customer. OTD declined."
            ),
            para(
                "Privacy: The Privacy and Civil Liberties Unit was briefed on {d:February 9, 2018}. "
                "A Privacy Threshold Analysis is pending. No pilot result was entered in a case "
                "file as an identification."
            ),
        ),
        page(
            para(
                "Recommendation: [[b5:OTD recommends a one-year extension that adds a second "
                "gallery and compares Rekognition with two other vendors before any purchase.]]"
            ),
            para("Lead(s): Set Lead 1: (Info) CRIMINAL JUSTICE INFORMATION SERVICES. Read and clear."),
            line("cc: [[b6,b7C:Angela Ruiz]], Biometric Services Section"),
            line("[[b6,b7C:Thomas Whitfield]], Office of the General Counsel", indent=28),
            gap(),
            line("++", align="center"),
        ),
    ),
)

VOICE_GAIT_MEMO = Record(
    file_name="FBI_BCOE_Voice_Gait_Pilot_Memo_2019-08-22.pdf",
    title="Memorandum: voice and gait recognition pilot, interim findings",
    agency="agency:fbi",
    bates_series="FBI",
    date_source="text:memo_date",
    date_prefix="DATE:",
    font="Courier",
    pages=(
        page(
            line("U.S. Department of Justice", align="center", bold=True),
            line("Federal Bureau of Investigation", align="center"),
            line("Biometric Center of Excellence", align="center"),
            gap(14),
            line("MEMORANDUM", bold=True),
            gap(),
            row((0, "TO:"), (80, "Assistant Director, Science and Technology")),
            row((0, "FROM:"), (80, "[[b6,b7C:Carol Lindqvist]], Program Manager")),
            row((0, "DATE:"), (80, "{d:August 22, 2019}")),
            row((0, "SUBJECT:"), (80, "Voice and gait recognition pilot:")),
            row((80, "interim findings")),
            rule(),
            para(
                "1. Purpose. This memorandum reports interim findings of the pilot that tests "
                "speaker recognition (voice recognition) and gait recognition as investigative "
                "aids. The pilot began on {d:January 7, 2019} and ends on {d:December 20, 2019}."
            ),
            para(
                "2. Background. Investigators often hold recorded calls and video in which no "
                "face is visible. Two research vendors, [[b4:Veridas Acoustics]] and "
                "[[b4:Stridemark Labs]], lent software under cooperative research agreements."
            ),
            para(
                "3. Voice. The team enrolled [[b7E:2,300]] known speakers from consensually "
                "recorded calls. Matching held up on clean audio longer than thirty seconds but "
                "degraded quickly on compressed cell phone audio."
            ),
            scanned=True,
        ),
        page(
            para(
                "4. Gait. Gait recognition was tested on video from [[b7E:two transit stations]]. "
                "The right subject was ranked first in fewer than one trial in four, and results "
                "changed with clothing, footwear and camera angle. The team does not consider "
                "gait recognition ready for casework."
            ),
            para(
                "5. Legal review. The Office of the General Counsel advised on {d:May 14, 2019} "
                "that [[b5:consensual recordings may be searched, but jail calls raise state "
                "wiretap questions that must be settled first]]."
            ),
            para(
                "6. Next steps. The team will test voice recognition on a second data set and "
                "report final results by {d:January 31, 2020}. No operational use is planned "
                "before then."
            ),
            scanned=True,
        ),
        page(
            para("7. Contact. Questions may be directed to [[b6,b7C:Carol Lindqvist]] at [[b6:304-555-0143]]."),
            para("Enclosure: Pilot test plan, version 2 (withheld in full, {x:(b)(7)(E)})"),
            line("cc: Office of the General Counsel"),
            line("Criminal Justice Information Services", indent=26),
            scanned=True,
        ),
    ),
)
