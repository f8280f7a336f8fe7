"""The one exception the query language raises for bad input."""

from __future__ import annotations


class QuerySyntaxError(ValueError):
    """A query the parser cannot accept.

    `position` is the 0-based character offset of the offending input, so an API can point at it
    (problem+json `position`); `hint` says how to fix it in the user's terms.
    """

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.message} (at character {self.position})"
        return f"{text}; {self.hint}" if self.hint else text
