"""The defects of issue 12 the structural suite finds today, by item number: each probe they make fail
is a strict xfail, so the mark has to go when the fix lands (an unexpected pass fails).

Matter B linked the shared records first; "label@a" holds for matter A only, a label without "@" for both.
"""

from __future__ import annotations

# -- compared with a world where the other matter never uploaded anything: none known today (item 5, the
# upload answer and progress of a file the other matter uploaded first, is fixed: catalog/links.py).
