"""The sample records, in the order they are written and Bates-numbered."""

from __future__ import annotations

from ingest.sample.content.dhs import BODY_CAMERA_MEMO, HART_MEMO, LPR_MEMO, RESPONSE_LETTER
from ingest.sample.content.doj import APPEAL_LETTER, CELLEBRITE_CONTRACT, HAILSTORM_ORDER
from ingest.sample.content.fbi import REKOGNITION_MEMO, VOICE_GAIT_MEMO
from ingest.sample.content.ice import CLEARVIEW_THREAD_2019, CLEARVIEW_THREAD_2020
from ingest.sample.content.local import SHOTSPOTTER_LETTER
from ingest.sample.spec import Record

RECORDS: tuple[Record, ...] = (
    REKOGNITION_MEMO,
    VOICE_GAIT_MEMO,
    APPEAL_LETTER,
    CLEARVIEW_THREAD_2019,
    CLEARVIEW_THREAD_2020,
    CELLEBRITE_CONTRACT,
    SHOTSPOTTER_LETTER,
    LPR_MEMO,
    BODY_CAMERA_MEMO,
    RESPONSE_LETTER,
    HART_MEMO,
    HAILSTORM_ORDER,
)
