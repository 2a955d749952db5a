from __future__ import annotations

import logging

from accounts.logging import RedactPersonalData


def test_personal_data_is_masked_before_a_line_is_written(caplog):
    logger = logging.getLogger("tests.redaction")
    logger.addFilter(RedactPersonalData())
    try:
        with caplog.at_level(logging.INFO, logger="tests.redaction"):
            logger.info("member %s phone %s mail %s", "11010519491231002X", "13812345678", "a@b.cn")
    finally:
        logger.filters.clear()
    text = caplog.records[0].getMessage()
    assert "11010519491231002X" not in text
    assert "13812345678" not in text
    assert "a@b.cn" not in text
    assert "[id-number]" in text and "[phone]" in text and "[email]" in text
