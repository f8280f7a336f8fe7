"""The defects of issue 12 the structural suite finds today, by item number: each probe they make fail
is a strict xfail, so the mark has to go when the fix lands (an unexpected pass fails).

Matter B linked the shared records first; "label@a" holds for matter A only, a label without "@" for both.
"""

from __future__ import annotations

# -- compared with a world where the other matter never uploaded anything
ITEM_5 = (
    "issue 12 item 5: the matter's file of a record the other matter uploaded first is recorded as a "
    "duplicate (file status, production progress): what it is told depends on what the other matter holds"
)
