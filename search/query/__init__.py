"""The query language: parse user text into a tree, compile the tree per engine."""

from search.query.ast import Node
from search.query.errors import QuerySyntaxError
from search.query.parser import parse_query

__all__ = ["Node", "QuerySyntaxError", "parse_query"]
