"""Redaction boxes on a page: where they are, which exemption codes they carry, and what leaked.

Pure functions over plain values, in PDF points with the origin at the top left; the I/O that feeds
them lives in ingest/redaction_io.py and ingest/ocr.py. One module per seam:

- geometry: rectangles, words, reading order, merging pieces, a scan's tilt
- vector: boxes and white-out drawn in a PDF's content, words from the text layer's characters
- raster: boxes and white-out in a page image
- leaks: words under a box that a reader cannot see (failed redactions), apart from the stamp on it
- stamps: which codes and which stamp belong to each box
- page: one page's redactions put together (boxes, the visible context, the share redacted)
"""
