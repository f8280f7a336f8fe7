"""DOJ records: a DEA contract with Cellebrite, a USMS cell-site simulator order, an OIP appeal letter.

All text is written for this project; every person named is fictional.
"""

from __future__ import annotations

from ingest.sample.spec import Record, gap, line, page, para, row, rule

_PRICE_COLUMNS = (0.0, 40.0, 290.0, 330.0)


def _price_row(item: str, description: str, qty: str, price: str) -> tuple[tuple[float, str], ...]:
    return tuple(zip(_PRICE_COLUMNS, (item, description, qty, price), strict=True))


CELLEBRITE_CONTRACT = Record(
    file_name="DEA_Cellebrite_UFED_Contract_15DDHQ18C0000731.pdf",
    title="Contract 15DDHQ18C0000731: Cellebrite UFED licenses and services",
    agency="agency:dea",
    bates_series="DOJ-OIP",
    date_source="text:contract_date",
    date_prefix="Effective Date:",
    font="Times-Roman",
    label_format="paren",
    label_position="after",
    pages=(
        page(
            line("U.S. Department of Justice", align="center", bold=True),
            line("Drug Enforcement Administration", align="center"),
            line("Office of Acquisition and Relocation Management", align="center"),
            gap(14),
            line("AWARD/CONTRACT", align="center", bold=True),
            gap(),
            line("Contract No.: 15DDHQ18C0000731"),
            line("Contractor: Cellebrite USA Corp."),
            line("Effective Date: {d:October 1, 2018}"),
            line("Period of Performance: {d:October 1, 2018} through {d:September 30, 2019}"),
            line("Total Award Amount: [[b4:$1,382,640.00]]"),
            rule(),
            line("SECTION B - SUPPLIES OR SERVICES AND PRICES", bold=True),
            row(*_price_row("Item", "Description", "Qty", "Unit Price"), bold=True),
            row(*_price_row("0001", "UFED Touch2 Ultimate kit, perpetual license", "40", "[[b4:$11,200.00]]")),
            row(*_price_row("0002", "UFED 4PC Ultimate license, one year", "120", "[[b4:$3,900.00]]")),
            row(*_price_row("0003", "Physical Analyzer license, one year", "160", "[[b4:$1,450.00]]")),
            row(*_price_row("0004", "Premium unlock service, per device", "250", "[[b4:$1,500.00]]")),
            row(*_price_row("0005", "Certified operator training, per seat", "60", "[[b4:$2,250.00]]")),
            gap(),
            para(
                "All prices are firm-fixed. Licenses renew on the anniversary of the effective date "
                "at the option of the Government."
            ),
        ),
        page(
            line("SECTION C - STATEMENT OF WORK", bold=True),
            para(
                "C.1 Purpose. The Drug Enforcement Administration (DEA) requires mobile device "
                "forensics tools to extract and analyze data from phones and tablets seized as "
                "evidence. The tools will be used by the Digital Evidence Laboratory and by "
                "trained examiners in field divisions."
            ),
            para(
                "C.2 Scope. The contractor shall deliver Universal Forensic Extraction Device (UFED) "
                "hardware and licenses, software updates released during the period of performance, "
                "and technical support by telephone and email within one business day."
            ),
            para(
                "C.3 Premium unlock service. For locked devices that the licensed tools cannot "
                "open, the contractor shall provide an unlock service at [[b7E:a contractor facility "
                "in Virginia]]. Devices shall travel and be stored under the DEA chain of custody "
                "procedures in Attachment 2."
            ),
            para(
                "C.4 Legal authority. DEA will submit a device for extraction only under a search "
                "warrant, with the consent of its owner, or under another lawful authority recorded "
                "in the case file. The contractor shall not retain extracted data after delivery."
            ),
        ),
        page(
            line("SECTION H - SPECIAL CONTRACT REQUIREMENTS", bold=True),
            para(
                "H.1 Nondisclosure. The contractor shall not disclose the make, model or operating "
                "system version of any device submitted by DEA, or the methods used to unlock it, "
                "without the written consent of the Contracting Officer. [[b7E:The contractor shall "
                "notify DEA within 24 hours of any request for this information.]]"
            ),
            para(
                "H.2 Personnel security. Contractor employees who handle evidence shall hold a "
                "favorable background investigation before access is granted."
            ),
            para(
                "H.3 Updates. Software updates that add support for new phone models shall be "
                "delivered within [[b4:30]] days of general release."
            ),
            para(
                "H.4 Export. UFED products contain encryption items controlled for export; the "
                "Government will not transfer them outside the United States."
            ),
        ),
        page(
            line("SECTION G - CONTRACT ADMINISTRATION DATA", bold=True),
            para(
                "G.1 Contracting Officer: [[b6:Ellen Marchetti]], Office of Acquisition and "
                "Relocation Management, [[b6:(202) 555-0164]]."
            ),
            para("G.2 Contracting Officer's Representative: [[b6,b7C:Luis Ferreira]], Digital Evidence Laboratory."),
            para(
                "G.3 Invoices shall be submitted monthly through the Invoice Processing Platform "
                "and shall cite the contract number and line item."
            ),
            para("G.4 The signature page follows."),
        ),
        page(
            line("SIGNATURES", align="center", bold=True),
            gap(16),
            line("FOR THE CONTRACTOR:", bold=True),
            line("Name: [[b6:Avi Rosen]]"),
            line("Title: Director, Federal Sales, Cellebrite USA Corp."),
            line("Signature: [[b6:signature]]"),
            line("Date: {d:09/24/2018}"),
            gap(16),
            line("FOR THE GOVERNMENT:", bold=True),
            line("Name: [[b6:Ellen Marchetti]]"),
            line("Title: Contracting Officer, Drug Enforcement Administration"),
            line("Signature: [[b6:signature]]"),
            line("Date: {d:09/27/2018}"),
            scanned=True,
        ),
    ),
)

HAILSTORM_ORDER = Record(
    file_name="USMS_Harris_Hailstorm_Purchase_Order_2015.pdf",
    title="Purchase order: Harris Hailstorm upgrade for StingRay II cell-site simulators",
    agency="agency:usms",
    bates_series="USMS",
    date_source="text:order_date",
    date_prefix="Order Date:",
    font="Helvetica",
    label_format="paren",
    label_position="after",
    pages=(
        page(
            line("U.S. Marshals Service", align="center", bold=True),
            line("Technical Operations Group", align="center"),
            gap(14),
            line("ORDER FOR SUPPLIES OR SERVICES", align="center", bold=True),
            gap(),
            line("Order Number: DJM-15-A32-P-0112"),
            line("Order Date: {d:04/02/2015}"),
            line("Vendor: Harris Corporation, Government Communications Systems"),
            line("Delivery: [[b7E:Technical Operations Group, Arlington, VA]]"),
            rule(),
            row((0, "Line"), (40, "Description"), (320, "Amount"), bold=True),
            row((0, "1"), (40, "Hailstorm upgrade for StingRay II system"), (320, "[[b4:$169,602.00]]")),
            row((0, "2"), (40, "Gemini software license, three years"), (320, "[[b4:$28,500.00]]")),
            row((0, "3"), (40, "Operator training, two students"), (320, "[[b4:$12,000.00]]")),
            gap(),
            para(
                "Justification. The existing StingRay II cell-site simulators cannot locate phones "
                "on current LTE networks. The Hailstorm upgrade restores that capability. Harris is "
                "the only source able to upgrade the equipment already owned by the Service."
            ),
            scanned=True,
        ),
        page(
            para(
                "Conditions. Use of the equipment is governed by the Department of Justice policy "
                "on cell-site simulator technology. Operators shall obtain a search warrant before "
                "deployment except in the emergencies defined in that policy."
            ),
            para(
                "Nondisclosure. The Service has signed the nondisclosure agreement required by the "
                "vendor on {d:March 20, 2015}. [[b7E:Capabilities of the equipment shall not be "
                "described in court filings without consulting the Office of General Counsel.]]"
            ),
            gap(),
            line("Approved: [[b6:Ray Dominguez]], Chief, Technical Operations Group"),
            line("Funds certified: [[b6:Priya Raman]], Budget Officer"),
            scanned=True,
        ),
    ),
)

APPEAL_LETTER = Record(
    file_name="DOJ_OIP_Appeal_Decision_DOJ-AP-2019-004112.pdf",
    title="Appeal decision DOJ-AP-2019-004112: FBI records on Amazon Rekognition",
    agency="agency:doj",
    bates_series="DOJ-OIP",
    date_source="text:letter_date",
    date_prefix="Date:",
    font="Times-Roman",
    pages=(
        page(
            line("U.S. Department of Justice", align="center", bold=True),
            line("Office of Information Policy", align="center"),
            line("Suite 11050, 1425 New York Avenue, NW, Washington, DC 20530", align="center", size=9),
            gap(16),
            line("Date: {d:October 16, 2019}"),
            line("Re: Appeal No. DOJ-AP-2019-004112; Request No. 1420877-000"),
            gap(),
            line("Mr. Owen Castellano"),
            line("Civic Technology Clinic"),
            gap(),
            line("Dear Mr. Castellano:"),
            para(
                "You appealed from the action of the Federal Bureau of Investigation (FBI) on your "
                "Freedom of Information Act request for records about the FBI's evaluation of "
                "Amazon Rekognition and other face recognition services. The FBI released 14 "
                "pages with excisions and withheld 6 pages in full."
            ),
            para(
                "After carefully considering your appeal, I am affirming the FBI's action in part. "
                "The FBI properly withheld information under {x:(b)(6)} and {x:(b)(7)(C)}, which "
                "protect personal privacy, and under {x:(b)(7)(E)}, which protects investigative "
                "techniques that are not publicly known."
            ),
        ),
        page(
            para(
                "I am remanding the portion of your request concerning the cost of the pilot. The "
                "FBI withheld the amount paid to Amazon Web Services under {x:(b)(4)}, but the record "
                "does not show that the figure was obtained from a person outside the Government. "
                "The FBI will reconsider this information and respond to you directly."
            ),
            para(
                "If you are dissatisfied with my action on your appeal, the FOIA permits you to file "
                "a lawsuit in federal district court. You may also contact the Office of Government "
                "Information Services for mediation."
            ),
            line("Sincerely,"),
            gap(18),
            line("Martin Okonkwo"),
            line("Associate Chief, Administrative Appeals Staff"),
        ),
    ),
)
