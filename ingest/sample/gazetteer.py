"""The entities the sample records mention, and how each is spelled in them.

This list only describes the generator's own text, so that truth.json can say which canonical entity a
page mentions. It is deliberately not nlp/gazetteer.yaml (the truth must not be computed by the code it
checks), but it uses the same ids and names, so evaluations can compare the two directly. Two entities
are not in nlp's gazetteer at the time of writing: agency:obim and product:aws-govcloud.
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
    _entry("agency:dhs", "Department of Homeland Security", "DHS"),
    _entry("agency:doj", "Department of Justice", "DOJ"),
    _entry("agency:doj-oip", "Office of Information Policy"),
    _entry("agency:usms", "U.S. Marshals Service", "USMS"),
    _entry("agency:obim", "Office of Biometric Identity Management", "OBIM"),
    _entry("agency:chicago-pd", "Chicago Police Department", "CPD"),
    # vendors
    _entry("vendor:amazon", "Amazon", "Amazon Web Services", "AWS"),
    _entry("vendor:clearview-ai", "Clearview AI", "Clearview"),
    _entry("vendor:cellebrite", "Cellebrite", "Cellebrite USA"),
    _entry("vendor:soundthinking", "SoundThinking", "ShotSpotter, Inc.", "ShotSpotter Inc"),
    _entry("vendor:vigilant-solutions", "Vigilant Solutions", "Vigilant"),
    _entry("vendor:palantir", "Palantir", "Palantir Technologies"),
    _entry("vendor:harris", "Harris Corporation", "Harris"),
    _entry("vendor:axon", "Axon", "Axon Enterprise"),
    _entry("vendor:microsoft", "Microsoft"),
    # products
    _entry("product:amazon-rekognition", "Amazon Rekognition", "Rekognition"),
    _entry("product:ufed", "UFED", "Universal Forensic Extraction Device"),
    _entry("product:stingray", "StingRay", "StingRay II"),
    _entry("product:hailstorm", "Hailstorm"),
    _entry("product:shotspotter", "ShotSpotter"),
    _entry("product:axon-body", "Axon Body", "Axon Body 3"),
    _entry("product:evidence-com", "Evidence.com"),
    _entry("product:aws-govcloud", "AWS GovCloud", "GovCloud"),
    _entry("product:microsoft-azure", "Microsoft Azure", "Azure Government", "Azure"),
    # technologies
    _entry("technology:face-recognition", "Face recognition", "facial recognition", "face matching"),
    _entry(
        "technology:alpr",
        "Automated license plate reader",
        "license plate reader",
        "license plate readers",
        "LPR",
    ),
    _entry("technology:cell-site-simulator", "Cell-site simulator", "cell-site simulators", "cell site simulator"),
    _entry("technology:gunshot-detection", "Gunshot detection"),
    _entry("technology:voice-recognition", "Voice recognition", "speaker recognition"),
    _entry("technology:gait-recognition", "Gait recognition"),
    _entry("technology:iris-recognition", "Iris recognition"),
    _entry("technology:body-worn-camera", "Body-worn camera", "body-worn cameras", "body camera", "body cameras"),
    _entry("technology:mobile-device-forensics", "Mobile device forensics", "phone forensics"),
)


def entities_in(text: str) -> tuple[EntityRef, ...]:
    """Entities mentioned in `text`, in gazetteer order; a name may be broken across lines."""
    flat = " ".join(text.split())
    return tuple(e.ref for e in _ENTRIES if e.pattern.search(flat))
