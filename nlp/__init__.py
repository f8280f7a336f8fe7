"""Page text -> facts: gazetteer entities, organizations and people, dates, exemption codes, Bates numbers.

Pure code: imports nothing else of the project and reads no environment variables.
"""

from nlp.bates import bates_range, find_bates, find_bates_span
from nlp.dates import find_dates
from nlp.docdate import document_date
from nlp.exemptions import exemption_counts, find_exemptions
from nlp.organizations import normalize_organization, normalize_person
from nlp.pipeline import Analyzer
from nlp.types import DateMention, DocumentDate, EntityInfo, ExemptionMention, Mention, PageFacts

__all__ = [
    "Analyzer",
    "DateMention",
    "DocumentDate",
    "EntityInfo",
    "ExemptionMention",
    "Mention",
    "PageFacts",
    "bates_range",
    "document_date",
    "exemption_counts",
    "find_bates",
    "find_bates_span",
    "find_dates",
    "find_exemptions",
    "normalize_organization",
    "normalize_person",
]
