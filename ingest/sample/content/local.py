"""A city record: a Chicago Police Department letter to ShotSpotter, with Illinois FOIA redactions.

All text is written for this project; every person named is fictional.
"""

from __future__ import annotations

from ingest.sample.spec import Record, gap, line, page, para

SHOTSPOTTER_LETTER = Record(
    file_name="CPD_ShotSpotter_Coverage_Letter_2021-07-09.pdf",
    title="Letter to ShotSpotter on coverage expansion and alert review",
    agency="agency:chicago_police",
    bates_series="CPD",
    date_source="text:letter_date",
    date_prefix="July 9, 2021",
    font="Times-Roman",
    label_format="paren",
    label_position="after",
    pages=(
        page(
            line("CHICAGO POLICE DEPARTMENT", align="center", bold=True),
            line("Bureau of Counterterrorism, Strategic Decision Support Centers", align="center"),
            line("3510 South Michigan Avenue, Chicago, Illinois 60653", align="center"),
            gap(16),
            line("{d:July 9, 2021}"),
            gap(),
            line("[[7(1)(c):Daniel Whitford]]"),
            line("Vice President, Customer Success"),
            line("ShotSpotter, Inc."),
            line("7979 Gateway Boulevard, Suite 210, Newark, California 94560"),
            gap(),
            line("Re: Coverage areas and alert review under the current agreement"),
            gap(),
            line("Dear [[7(1)(c):Mr. Whitford]]:"),
            para(
                "Thank you for meeting with Department staff on {d:June 24, 2021}. This letter "
                "confirms the points we discussed about the gunshot detection service in the twelve "
                "police districts now covered."
            ),
            para(
                "First, the Department asks that any change to sensor locations be reported to the "
                "Strategic Decision Support Center in the affected district at least ten days in "
                "advance. Second, alerts reclassified by ShotSpotter reviewers after the initial "
                "dispatch should be flagged in the monthly report, with the original and the final "
                "classification."
            ),
            scanned=True,
        ),
        page(
            para(
                "Third, the Department has received public records requests about alerts that led "
                "to no evidence of gunfire. We expect to release summary data under the Illinois "
                "Freedom of Information Act, with the names of witnesses withheld under "
                "{x:5 ILCS 140/7(1)(c)}. Please tell us by {d:August 6, 2021} whether ShotSpotter "
                "considers any part of the monthly reports exempt as a trade secret."
            ),
            para(
                "Finally, the coverage expansion proposed for the [[7(1)(f):two additional "
                "districts]] remains under review and will not be approved before the City "
                "Council budget hearings."
            ),
            para("Please direct questions to [[7(1)(c):Lt. Ramona Keefe]] at [[7(1)(c):(312) 555-0132]]."),
            line("Sincerely,"),
            gap(18),
            line("[[7(1)(c):Anthony Brzezinski]]"),
            line("Deputy Chief, Strategic Decision Support Centers"),
            scanned=True,
        ),
    ),
)
