"""The entities the sample records mention, and how each is spelled in them.

This list only describes the generator's own text, so that truth.json can say which canonical entity a
page mentions. It is not the project's gazetteer (that lives with nlp/); ids follow the same
"type:slug" style so evaluations can compare the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sample.model import EntityRef


@dataclass(frozen=True)
class _Entry:
    ref: EntityRef
    pattern: re.Pattern[str]


def _entry(entity_id: str, name: str, *aliases: str) -> _Entry:
    kind = entity_id.split(":", 1)[0]
    # Acronyms must match exactly ("ICE" is not "ice"); names match in any case, as in a title line.
    alternatives = []
    for spelling in sorted({name, *aliases}, key=len, reverse=True):
        escaped = re.escape(spelling)
        alternatives.append(escaped if spelling.isupper() else f"(?i:{escaped})")
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    return _Entry(EntityRef(entity_id, kind, name), pattern)


_ENTRIES: tuple[_Entry, ...] = (
    # agencies
    _entry("agency:fbi", "Federal Bureau of Investigation", "FBI"),
    _entry("agency:ice", "U.S. Immigration and Customs Enforcement", "ICE", "Immigration and Customs Enforcement"),
    _entry("agency:hsi", "Homeland Security Investigations", "HSI"),
    _entry("agency:dea", "Drug Enforcement Administration", "DEA"),
    _entry("agency:cbp", "U.S. Customs and Border Protection", "CBP", "Customs and Border Protection"),
    _entry("agency:dhs", "U.S. Department of Homeland Security", "DHS", "Department of Homeland Security"),
    _entry("agency:doj", "U.S. Department of Justice", "DOJ", "Department of Justice"),
    _entry("agency:usms", "U.S. Marshals Service", "USMS"),
    _entry("agency:obim", "Office of Biometric Identity Management", "OBIM"),
    _entry("agency:chicago_police", "Chicago Police Department", "CPD"),
    # vendors
    _entry("vendor:amazon", "Amazon", "Amazon Web Services", "AWS"),
    _entry("vendor:clearview_ai", "Clearview AI", "Clearview"),
    _entry("vendor:cellebrite", "Cellebrite"),
    _entry("vendor:shotspotter", "ShotSpotter"),
    _entry("vendor:vigilant_solutions", "Vigilant Solutions", "Vigilant"),
    _entry("vendor:palantir", "Palantir", "Palantir Technologies"),
    _entry("vendor:harris", "Harris Corporation", "Harris"),
    _entry("vendor:axon", "Axon", "Axon Enterprise"),
    _entry("vendor:microsoft", "Microsoft"),
    # products
    _entry("product:rekognition", "Amazon Rekognition", "Rekognition"),
    _entry("product:ufed", "UFED", "Universal Forensic Extraction Device"),
    _entry("product:stingray", "StingRay"),
    _entry("product:hailstorm", "Hailstorm"),
    _entry("product:evidence_com", "Evidence.com"),
    _entry("product:govcloud", "AWS GovCloud", "GovCloud"),
    _entry("product:azure", "Microsoft Azure", "Azure"),
    # technologies
    _entry(
        "technology:face_recognition",
        "face recognition",
        "facial recognition",
        "face matching",
    ),
    _entry(
        "technology:license_plate_reader",
        "license plate reader",
        "license plate readers",
        "license plate recognition",
        "LPR",
        "ALPR",
    ),
    _entry(
        "technology:cell_site_simulator",
        "cell-site simulator",
        "cell-site simulators",
        "cell site simulator",
    ),
    _entry("technology:gunshot_detection", "gunshot detection"),
    _entry("technology:voice_recognition", "voice recognition", "speaker recognition"),
    _entry("technology:gait_recognition", "gait recognition"),
    _entry("technology:iris_recognition", "iris recognition"),
    _entry(
        "technology:body_worn_camera",
        "body-worn camera",
        "body-worn cameras",
        "body camera",
        "body cameras",
    ),
    _entry("technology:mobile_forensics", "mobile device forensics", "phone forensics"),
)


def entities_in(text: str) -> tuple[EntityRef, ...]:
    """Entities mentioned in `text`, in gazetteer order."""
    return tuple(e.ref for e in _ENTRIES if e.pattern.search(text))
