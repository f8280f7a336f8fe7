"""Bodies of the note endpoints: a note on a page, or on a region of it, private or shared in the matter."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator, model_validator

from api.schemas import Page
from catalog.notes import Note, Region

MAX_NOTE_CHARS = 10_000
# A PDF page is at most 200 inches on a side (14,400 points): a box past that is on no page.
MAX_POINTS = 14_400.0

Coordinate = Field(ge=0, le=MAX_POINTS, description="PDF points from the page's top-left corner.")


class RegionIn(BaseModel):
    """A box on the page in PDF points from its top-left corner (x to the right, y down), as drawn."""

    x0: float = Coordinate
    y0: float = Coordinate
    x1: float = Coordinate
    y1: float = Coordinate

    @model_validator(mode="after")
    def _has_area(self) -> RegionIn:
        if not (self.x0 < self.x1 and self.y0 < self.y1):
            raise ValueError("a region needs x0 < x1 and y0 < y1 (its top-left corner, then its bottom-right)")
        return self

    def region(self) -> Region:
        return Region(self.x0, self.y0, self.x1, self.y1)


def _not_blank(text: str | None) -> str | None:
    """Trimmed; refused when blank, or holding what is not text (a NUL, which PostgreSQL cannot store, or half
    of a UTF-16 pair, which JSON can carry but no database can encode)."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        raise ValueError("a note needs some text")
    for position, char in enumerate(text):
        if char == "\x00" or "\ud800" <= char <= "\udfff":
            raise ValueError(f"the text holds U+{ord(char):04X} at position {position}: not text")
    return text


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_NOTE_CHARS, examples=["Compare with the 2018 contract, p. 4"])
    shared: bool = Field(False, description="Seen by every reader of the collection; false: by its author only.")
    region: RegionIn | None = Field(None, description="The box the note is about; none: the whole page.")
    collection: str | None = Field(
        None, max_length=40, description="The collection (id) of the note, when the document is in several of yours."
    )

    _text = field_validator("text")(_not_blank)


class NotePatch(BaseModel):
    """What an author changes; a field left out stays, `"region": null` makes it a note on the whole page."""

    text: str | None = Field(None, min_length=1, max_length=MAX_NOTE_CHARS)
    shared: bool | None = None
    region: RegionIn | None = None

    _text = field_validator("text")(_not_blank)


class RegionOut(BaseModel):
    x0: float
    y0: float
    x1: float
    y1: float


class NoteOut(BaseModel):
    id: str
    document_id: str
    page_number: int
    collection_id: str
    author: str
    mine: bool = Field(description="True when the reader wrote it (only its author edits or deletes it).")
    text: str
    shared: bool
    region: RegionOut | None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, note: Note, viewer: str) -> NoteOut:
        region = note.region
        return cls(
            id=note.id,
            document_id=note.document_id,
            page_number=note.page_number,
            collection_id=note.collection_id,
            author=note.author,
            mine=note.author == viewer,
            text=note.text,
            shared=note.shared,
            region=None if region is None else RegionOut(x0=region.x0, y0=region.y0, x1=region.x1, y1=region.y1),
            created_at=note.created_at,
            updated_at=note.updated_at,
        )


class NotesOut(Page):
    """A document's notes in one page (`next_cursor` is null): by page, then the time each was written."""

    items: list[NoteOut]
