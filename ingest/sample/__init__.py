"""A generated sample production: FOIA-like PDFs with known text, redactions, stamps and dates.

`write_sample_production(dest)` writes the PDFs and a truth.json describing every page;
`load_truth(path)` reads that file back.
"""

from ingest.sample.model import (
    EntityRef,
    RedactionBox,
    SampleFile,
    SampleManifest,
    SamplePage,
    load_truth,
)
from ingest.sample.production import write_sample_production

__all__ = [
    "EntityRef",
    "RedactionBox",
    "SampleFile",
    "SampleManifest",
    "SamplePage",
    "load_truth",
    "write_sample_production",
]
