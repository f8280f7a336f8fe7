"""DHS records: CBP memos on license plate readers and body cameras, an OBIM memo, a response letter.

All text is written for this project; every person named is fictional.
"""

from __future__ import annotations

from ingest.sample.spec import Record, gap, line, page, para, row, rule

LPR_MEMO = Record(
    file_name="CBP_Vigilant_LPR_Palantir_Memo_2020-06-18.pdf",
    title="Memorandum: access to Vigilant Solutions license plate reader data through Palantir",
    agency="agency:cbp",
    bates_series="CBP",
    date_source="text:memo_date",
    date_prefix="DATE:",
    font="Times-Roman",
    label_format="ex",
    label_position="after",
    pages=(
        page(
            line("U.S. Customs and Border Protection", align="center", bold=True),
            line("Office of Field Operations", align="center"),
            line("Washington, DC 20229", align="center"),
            gap(16),
            row((0, "MEMORANDUM FOR:"), (110, "[[b6,b7C:Paul Stanek]]")),
            row((110, "Executive Director, National Targeting Center")),
            row((0, "FROM:"), (110, "[[b6,b7C:Marisol Vega]]")),
            row((110, "Director, Targeting Systems Division")),
            row((0, "DATE:"), (110, "{d:June 18, 2020}")),
            row((0, "SUBJECT:"), (110, "Access to Vigilant Solutions license plate reader data")),
            row((110, "through the Palantir case management platform")),
            rule(),
            para(
                "Purpose. This memorandum requests approval to extend the agency subscription to the "
                "commercial license plate reader (LPR) database operated by Vigilant Solutions and to "
                "make its results available inside the Palantir platform that CBP analysts already use "
                "for case management."
            ),
            para(
                "Background. Since {d:October 1, 2017}, CBP has bought query access to plate scans "
                "collected by private cameras at parking lots, toll roads and repossession vehicles. "
                "The data set grows by about [[b7E:150 million]] scans per month. Analysts currently "
                "copy results from the vendor portal by hand, which is slow and leaves no audit trail "
                "in the case file."
            ),
            para(
                "Proposal. Palantir Technologies would build a connector that sends a plate query to "
                "Vigilant and stores the returned sightings with the case. Queries would be limited to "
                "[[b7E:five years]] of history and would require a case number and a stated reason."
            ),
        ),
        page(
            para(
                "Privacy. The DHS Privacy Office reviewed commercial LPR use in its Privacy Impact "
                "Assessment DHS/CBP/PIA-049 of {d:December 11, 2017}. [[b5:The Privacy Office has "
                "not yet said whether storing sightings in Palantir changes that assessment, and "
                "counsel suggests asking before the connector is built.]]"
            ),
            para(
                "Cost. The subscription renewal is [[b4:$2,145,000]] for one year. Palantir quotes "
                "[[b4:$386,500]] for the connector, priced as an option under the existing task order."
            ),
            para(
                "Alternatives. Analysts could continue to use the vendor portal without the connector, "
                "or CBP could rely only on its own fixed readers at ports of entry, which cover "
                "[[b7E:about 60 percent]] of northbound lanes."
            ),
            para(
                "Recommendation. [[b5:Approve the renewal now and defer the connector until the "
                "Privacy Office answers.]]"
            ),
            gap(),
            line("APPROVE: ______________________ DATE: __________"),
            gap(),
            line("DISAPPROVE: ___________________ DATE: __________"),
        ),
        page(
            para(
                "Attachment A. Summary of query volume by field office, fiscal year 2019 "
                "(four pages, withheld in full; see the following page)."
            ),
            para(
                "Attachment B. Vigilant Solutions data sharing terms as amended on {d:March 3, 2020}. "
                "Section 4 of the terms allows the vendor to share CBP query logs with "
                "[[b4:its affiliates]] for quality control, which the Office of Chief Counsel "
                "flagged for renegotiation."
            ),
            para(
                "cc: Office of Chief Counsel; DHS Privacy Office; Office of Information and "
                "Technology, Targeting and Analysis Systems Program Directorate"
            ),
        ),
        page(
            gap(230),
            line("WITHHELD IN FULL", align="center", bold=True, size=22),
            gap(14),
            line("Four pages withheld in full pursuant to {x:(b)(7)(E)}", align="center", size=13),
            gap(6),
            line("Attachment A to memorandum of {d:June 18, 2020}", align="center", size=13),
        ),
    ),
)

BODY_CAMERA_MEMO = Record(
    file_name="CBP_Axon_Body_Worn_Camera_Decision_Memo_2020-09-03.pdf",
    title="Decision memorandum: body-worn camera deployment with Axon",
    agency="agency:cbp",
    bates_series="CBP",
    date_source="text:memo_date",
    date_prefix="Date:",
    font="Helvetica",
    label_format="paren",
    label_position="inside",
    page_labels=True,
    pages=(
        page(
            line("DECISION MEMORANDUM", align="center", bold=True),
            gap(),
            line("Date: {d:September 3, 2020}"),
            line("To: Commissioner, U.S. Customs and Border Protection"),
            line("From: Assistant Commissioner, Office of Acquisition"),
            line("Subject: Incremental deployment of body-worn cameras"),
            rule(),
            para(
                "Issue. CBP must decide whether to exercise the first production option of the "
                "body-worn camera contract with Axon Enterprise, which expires on "
                "{d:September 30, 2020}."
            ),
            para(
                "Background. Axon won the competition on {d:August 15, 2019}. Its offer covers "
                "Axon Body 3 cameras, docking stations, and storage of recordings in Evidence.com, "
                "the vendor's cloud service. A field evaluation with [[b7E:about 200]] agents and "
                "officers ran at [[b7E:six locations]] from {d:November 2019} to {d:May 2020}."
            ),
            para(
                "Findings. Agents found the cameras light and reliable. Recordings were uploaded "
                "within a shift at most sites but took up to three days at remote stations with "
                "poor connectivity. The evaluation team raised concerns that automatic upload of "
                "recordings to a commercial cloud needs a records schedule before full deployment."
            ),
        ),
        page(
            para(
                "Options. (1) Exercise the option for [[b4:3,800]] cameras at a cost of "
                "[[b4:$12.9 million]]; (2) extend the evaluation by six months; or (3) let the "
                "option lapse and compete the requirement again."
            ),
            para(
                "Recommendation. Option 1, with deployment starting at ports of entry in the "
                "southwest. Facial recognition is not part of the Axon offer and would not be "
                "enabled."
            ),
            para(
                "Points of contact. Program manager [[b6,b7C:Gregory Ilves]], "
                "[[b6:(202) 555-0119]]; contracting officer [[b6:Naomi Castellanos]], "
                "[[b6:(202) 555-0187]]."
            ),
            gap(),
            line("Decision: Approved ______ Disapproved ______ Discuss ______"),
            failed_redaction=True,
        ),
    ),
)

HART_MEMO = Record(
    file_name="DHS_OBIM_HART_Cloud_Hosting_Memo_2018-11-30.pdf",
    title="Memorandum: hosting HART biometric matching in a commercial cloud",
    agency="agency:obim",
    bates_series="DHS",
    date_source="text:memo_date",
    date_prefix="Date:",
    font="Courier",
    label_format="ex",
    label_position="after",
    pages=(
        page(
            line("Department of Homeland Security", align="center", bold=True),
            line("Office of Biometric Identity Management", align="center"),
            gap(14),
            line("Date: {d:November 30, 2018}"),
            line("To: Director, OBIM"),
            line("From: [[b6:Samuel Oduya]], Chief Architect"),
            line("Re: Hosting HART in a commercial cloud"),
            rule(),
            para(
                "1. The Homeland Advanced Recognition Technology system (HART) will replace the "
                "legacy IDENT system for face recognition, fingerprint and iris recognition "
                "matching. Increment 1 is due in {d:September 2019}."
            ),
            para(
                "2. The program evaluated two hosting options: AWS GovCloud, operated by Amazon "
                "Web Services, and Microsoft Azure Government. Both hold the required "
                "authorizations at the high impact level."
            ),
            scanned=True,
        ),
        page(
            para(
                "3. The evaluation scored AWS higher on matcher throughput and on the maturity of "
                "its tools for moving [[b7E:270 million]] identities. Azure scored higher on "
                "price. [[b5:The team believes the price difference is small next to the cost of "
                "a second migration if the first vendor fails.]]"
            ),
            para(
                "4. Face records will be matched by the algorithm already selected for HART, not "
                "by any face recognition service sold by the cloud provider."
            ),
            para(
                "5. Estimated hosting cost for the first year is [[b4:$14.1 million]] with AWS "
                "and [[b4:$12.6 million]] with Azure."
            ),
            scanned=True,
        ),
        page(
            para("6. Recommendation: [[b5:select AWS GovCloud for Increment 1 and revisit at Increment 2.]]"),
            para("7. A briefing for the Deputy Secretary is scheduled for {d:December 12, 2018}."),
            line("cc: DHS Privacy Office"),
            line("Office of the Chief Information Officer", indent=26),
            scanned=True,
        ),
    ),
)

RESPONSE_LETTER = Record(
    file_name="DHS_Privacy_Office_Final_Response_2019-HQFO-00731.pdf",
    title="Final response letter, FOIA request 2019-HQFO-00731",
    agency="agency:dhs",
    bates_series="DHS",
    date_source="text:letter_date",
    date_prefix="February 11, 2020",
    font="Times-Roman",
    pages=(
        page(
            line("U.S. Department of Homeland Security", align="center", bold=True),
            line("Privacy Office, Mail Stop 0655", align="center"),
            line("Washington, DC 20528", align="center"),
            gap(16),
            line("{d:February 11, 2020}"),
            gap(),
            line("Ms. Dana Whitcombe"),
            line("Surveillance Records Project"),
            line("1120 Ashland Street, Suite 4"),
            line("Springfield, OR 97477"),
            gap(),
            line("Re: 2019-HQFO-00731"),
            gap(),
            line("Dear Ms. Whitcombe:"),
            para(
                "This is the final response to your Freedom of Information Act (FOIA) request to the "
                "Department of Homeland Security (DHS), received on {d:April 22, 2019}. You asked for "
                "records about the use of face recognition by DHS components, including contracts, "
                "trials and communications with Clearview AI, Amazon Web Services, Palantir and "
                "Vigilant Solutions, from {d:January 1, 2017} to the date of the search."
            ),
            para(
                "A search of the Privacy Office, U.S. Customs and Border Protection and U.S. "
                "Immigration and Customs Enforcement found 212 pages responsive to your request. Of "
                "those, 96 pages are released in full, 104 pages are released in part, and 12 pages "
                "are withheld in full under Exemptions {x:(b)(5)}, {x:(b)(6)}, {x:(b)(7)(C)} and "
                "{x:(b)(7)(E)}, as described below."
            ),
            para(
                "{x:Exemption 5} protects inter-agency or intra-agency records that would not be "
                "available by law to a party in litigation, including predecisional and "
                "deliberative material. {x:Exemption 6} protects information whose release would be a "
                "clearly unwarranted invasion of personal privacy."
            ),
        ),
        page(
            para(
                "{x:Exemption 7(C)} protects records compiled for law enforcement purposes whose release "
                "could reasonably be expected to be an unwarranted invasion of personal privacy. "
                "{x:Exemption 7(E)} protects techniques and procedures for law enforcement "
                "investigations whose release could reasonably be expected to risk circumvention of "
                "the law. Each redaction on the enclosed pages is marked with the exemption applied."
            ),
            para(
                "You may appeal this response within 90 days of the date of this letter. Your appeal "
                "should be addressed to the Privacy Office, Attn: FOIA Appeals, and both the letter "
                'and the envelope should be marked "FOIA Appeal." You may also contact the Office of '
                "Government Information Services (OGIS) at the National Archives for mediation."
            ),
            para(
                "Provisions of the FOIA allow us to recover part of the cost of complying with your "
                "request. In this instance, because the cost is below the $25 minimum, there is no "
                "charge."
            ),
            line("Sincerely,"),
            gap(18),
            line("Joanna Pruitt"),
            line("Deputy Chief FOIA Officer"),
            gap(),
            line("Enclosures: 116 pages"),
        ),
    ),
)
