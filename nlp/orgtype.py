"""What a statistical ORG span is: a vendor, an agency, another organization, or junk.

spaCy's small model finds most company and office names as ORG but cannot say which is which, and on forms
and ledgers it also tags headings, stamps and addresses. The name's own words decide first (a legal form
makes a company, an agency head noun an agency), then the words around it on the page (a payee column,
"quote", "contractor", "agreement between ... and ...", a quote's letterhead).
"""

from __future__ import annotations

import re

from nlp.dates import find_dates

VENDOR, AGENCY, ORGANIZATION = "vendor", "agency", "organization"

# A legal form as the name's last word, or a comma before it, makes a company.
_LEGAL_FORM = re.compile(
    r"(?:,?\s+|\b)(?:Inc|Incorporated|Corp|Corporation|Co|Company|LLC|L\.L\.C|Ltd|Limited|LLP|L\.P|LP|PLC|"
    r"GmbH|AG|S\.A|SA|N\.V|B\.V|Pty|PC|P\.C|PLLC)\.?$",
)
# Words companies name themselves with and agencies do not.
_CORPORATE_WORDS = re.compile(
    r"\b(?:Technologies|Systems|Solutions|Software|Pharmaceuticals?|Pharma|Labs|Laboratories|"
    r"Communications|Networks|Enterprises|Industries|Holdings|Electronics|Wireless|Consulting|Analytics|"
    r"Biotech|BioPharma|Therapeutics|Forensics|Innovations|Dynamics|Robotics|Security Group|"
    r"Manufacturing|Motors|Telecom|Integrators?|Aerospace|Defense Systems)\b"
)
# Head words of government bodies ("Office of Vaccines Research and Review", "Seattle Police Department").
_AGENCY_WORDS = re.compile(
    r"\b(?:Department|Dept|Office|Bureau|Agency|Administration|Division|Directorate|Police|Sheriff|Sheriff's|"
    r"Commission|Archives|Clerk|Mayor|Mayor's|Board|Council|Ministry|Authority|Attorney General|Marshals?|"
    r"Patrol|Inspector General|Secretary (?i:of) State|Legislature|Court|Prosecutor|Coroner|Comptroller|Treasurer|"
    r"Field Office|Task Force|Fire Department|Public Schools|Secret Service|Park Service|Forest Service|"
    r"Postal Service|Revenue Service|Marshals Service|Army|Navy|Air Force|Coast Guard|Guard)\b"
    r"|\b(?:City|County|State|Town|Village|Commonwealth|District|Borough|Township) of\b"
    r"|\b(?:Center|Centers|Institute|Institutes) (?:for|of)\b|\bNational(?: [A-Z][a-z]+){1,3} Center\b"
    r"|^(?:[A-Z][a-z]+ ){0,3}County$"
)
# Words that say the organization next to them sells, makes, quotes or is paid.
_VENDOR_CONTEXT = re.compile(
    r"\b(?:quot(?:e|es|ed|ation)|invoice[ds]?|payee|pay(?:able)? to(?: the order of)?|remit(?:tance)? to|vendor|"
    r"contractor|subcontractor|supplier|manufacturer|manufactured by|made by|sold by|purchased? from|"
    r"bought from|distributor|reseller|licensor|provided by|developed by|proposal from|sole source|"
    r"awarded to|contract with|agreement with|order(?:ed)? from|from the company)\b",
    re.IGNORECASE,
)
# "... (the "Contractor")", "hereinafter Vendor": a defined-party label right after the name.
_VENDOR_LABEL_AFTER = re.compile(
    r"^[\s,]*\(?\s*(?:the\s+|hereinafter\s+(?:the\s+)?|herein\s+)?[\"'\u201c\u2018]?"
    r"(?:Contractor|Vendor|Supplier|Seller|Consultant|Licensor|Provider|Company|Manufacturer)\b",
    re.IGNORECASE,
)
# "Acme shall provide ...", "Acme will furnish ...": what a contract says its contractor does.
_SUPPLIES = re.compile(
    r"^[\s,]*(?:shall|will|agrees to|must)\s+(?:also\s+)?(?:provide|furnish|deliver|supply|perform|submit|install|"
    r"invoice|ship|maintain)\b",
    re.IGNORECASE,
)
# A page that is a quote, an invoice or a proposal: its letterhead is the seller.
_SALES_PAGE = re.compile(
    r"\b(?:quot(?:e|ation)\s*(?:#|no\.?|number|date)|invoice\s*(?:#|no\.?|number|date)|price quote|"
    r"proposal|bill to|ship to|sold to|remit to|unit price|qty|quantity)\b",
    re.IGNORECASE,
)
# A money amount in a ledger or check-register row.
_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d\d)?|(?<![\d.])\d{1,3}(?:,\d{3})*\.\d\d(?!\d)")
_REGISTER = re.compile(r"\b(?:payee|vendor(?:\s+name)?|check\s*(?:#|no\.?|number|date|amount)|paid to)\b", re.I)
# "agreement ... between the City of X and Acme Inc.": both parties are named; the non-agency one sells.
_BETWEEN = re.compile(r"\b(?:agreement|contract|memorandum of understanding)\b[^.]{0,120}?\bbetween\b", re.I)
LETTERHEAD_LINES = 6

# Junk: what the model tags ORG or PERSON on forms that names nothing.
_HEADING_START = re.compile(
    r"^(?:page|attachment|exhibit|appendix|enclosure|schedule|annex|section|item|table|figure|part|article|"
    r"addendum|amendment|modification|tab|volume|chapter|line|box|block|field|form)\b[\s#.:-]*[\w.-]{0,8}$",
    re.IGNORECASE,
)
_EXEMPTION_LIKE = re.compile(
    r"^\(?\s*[bB]\s*\)?\s*\(?\s*[1-9]?\s*\)?\s*\(?[A-Fa-f]?\)?$|\([bB]\)|\b[bB][1-9][A-Fa-f]?\b"
)
_ADDRESS = re.compile(
    r"^\d+[A-Za-z]?\s+(?:[NSEW]\.?\s+)?[\w.' -]*\b(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|"
    r"Ln|Way|Suite|Ste|Floor|Fl|Plaza|Court|Ct|Parkway|Pkwy|Highway|Hwy|Place|Pl|Square|Sq|Circle|Terrace)\b"
    r"|\b(?:Suite|Ste\.?|P\.?\s?O\.?\s+Box|Room)\s+#?\d",
    re.IGNORECASE,
)
# "H. Patent Copyright ...", "N. Independent Contractor", "4) Payment": a numbered heading of a contract.
_ENUMERATED = re.compile(r"^(?:[A-Z]|[0-9]{1,2}|[ivx]{1,4})[.)]\s")
# A form's instruction or routing line: "(Specify Authority)", "See Box 16C", "C/O Administration".
_INSTRUCTION = re.compile(
    r"^(?:specify|see|enter|check|print|type|complete|attach|list|describe|indicate|select|c/o|attn|attention)\b",
    re.IGNORECASE,
)
_STATE_CODES = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
        "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
        "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    }
)  # fmt: skip
_MONTH_OR_DAY = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# Words that make up section headings and form labels, never a name on their own.
_HEADING_WORDS = frozenset(
    {
        "scope", "of", "work", "terms", "and", "conditions", "background", "summary", "purpose", "introduction",
        "description", "statement", "payment", "price", "pricing", "total", "subtotal", "items", "item",
        "quantity", "qty", "notes", "note", "re", "subject", "general", "provisions", "special", "requirements",
        "deliverables", "definitions", "recommendation", "recommendations", "conclusion", "discussion",
        "review", "memorandum", "memo", "to", "from", "cc", "date", "signature", "approved", "approval",
        "name", "title", "address", "phone", "fax", "email", "unit", "amount", "balance", "due", "tax",
        "shipping", "handling", "the", "a", "for", "in", "on", "by", "with", "request", "response", "records",
        "record", "foia", "freedom", "information", "act", "public", "confidential", "draft", "final",
        "attachment", "exhibit", "appendix", "page", "table", "contents", "index", "program", "project",
        "overview", "details", "detail", "references", "reference", "reviewer", "comments", "comment",
        "status", "action", "actions", "office", "use", "only", "internal", "sensitive", "unclassified",
        "classified", "secret", "law", "enforcement", "redacted", "withheld", "exempt", "released",
        "invoice", "quote", "quotation", "purchase", "order", "contract", "agreement", "vendor", "payee",
        "check", "number", "no", "account", "period", "year", "fiscal", "dept", "department", "report",
    }
)  # fmt: skip


def is_junk(name: str) -> bool:
    """A heading, a page or attachment label, an exemption stamp, a street address or a date: the model's
    ORG/PERSON on forms, never a name to facet on."""
    if _HEADING_START.match(name) or _EXEMPTION_LIKE.search(name) or _ADDRESS.search(name):
        return True
    if _ENUMERATED.match(name) or name.upper() in _STATE_CODES or _INSTRUCTION.match(name):
        return True
    if " " not in name and len(name) < 4 and not name.isupper():
        return True  # "Pag", "Inv": an OCR fragment or a column label
    if all(_CORPORATE_WORDS.fullmatch(w) or _LEGAL_FORM.fullmatch(" " + w) for w in name.split()):
        return True  # "Software", "Systems Inc": a corporate word with no name
    if find_dates(name) or (_MONTH_OR_DAY.search(name) and any(ch.isdigit() for ch in name)):
        return True
    words = re.findall(r"[A-Za-z]+", name.lower())
    return bool(words) and all(w in _HEADING_WORDS for w in words)


def name_type(name: str) -> str | None:
    """The type a name's own words give: a legal form or corporate word -> vendor, an agency head -> agency."""
    if _LEGAL_FORM.search(name):
        return VENDOR
    # A name printed in capitals ("BUREAU OF INVESTIGATIVE SERVICES") is read in title case.
    if _AGENCY_WORDS.search(name.title() if name.isupper() else name):
        return AGENCY
    # A corporate word names a company at the end of the name ("GPS International Technologies", "Adaptive
    # Digital Systems"), not inside a phrase ("Technology Update Instruction Sheet").
    if _CORPORATE_WORDS.search(" ".join(name.split()[-2:])):
        return VENDOR
    return None


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _in_letterhead(text: str, start: int) -> bool:
    lines_before = [ln for ln in text[:start].split("\n") if ln.strip()]
    return len(lines_before) < LETTERHEAD_LINES


def context_type(text: str, start: int, end: int) -> str | None:
    """Vendor when the page's words around the span say it sells, makes, quotes or is paid."""
    line_start, line_end = _line_of(text, start, end)
    # The label must be close: earlier on the span's line, or the line above when the span opens its line
    # (a form's "Manufacturer" / "Payee" label over its value), never a word two lines up.
    before = text[line_start:start]
    if not before.strip():
        before = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : start]
    after = text[end : end + 60]
    if _VENDOR_CONTEXT.search(before[-50:]) or _VENDOR_LABEL_AFTER.match(after) or _SUPPLIES.match(after):
        return VENDOR
    between = _BETWEEN.search(text, max(0, start - 200), start)
    if between is not None and "." not in text[between.end() : start].replace(".,", ""):
        return VENDOR
    line = text[line_start:line_end]
    if _AMOUNT.search(line) and _REGISTER.search(text[:line_start] or line):
        return VENDOR
    if _in_letterhead(text, start) and _SALES_PAGE.search(text):
        return VENDOR
    return None


def classify_organization(name: str, text: str, start: int, end: int) -> str | None:
    """vendor / agency / organization for an ORG span of `text` (offsets into it), or None for junk."""
    line_start, line_end = _line_of(text, start, end)
    # Any piece of a street-address line ("N.W" of "1350 Pennsylvania Avenue, N.W.") is no name.
    if is_junk(name) or _ADDRESS.match(text[line_start:line_end].strip()):
        return None
    own = name_type(name)
    if own is not None:
        return own
    return context_type(text, start, end) or ORGANIZATION
