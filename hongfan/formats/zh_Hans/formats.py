"""Input formats for zh-hans: ISO first (what <input type=date / datetime-local> needs)."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-24
    "%Y/%m/%d",  # 2026/11/24
    "%Y年%m月%d日",  # 2026年11月24日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # 2026-11-24T09:30 (datetime-local)
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]
