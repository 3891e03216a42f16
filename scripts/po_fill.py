"""Fill a .po catalogue from a JSON object {msgid: msgstr} and list what is still missing.

Usage: python scripts/po_fill.py hongfan/<app>/locale/zh_Hans/LC_MESSAGES/django.po t.json
For a plural entry give the single Chinese form (zh has one plural form). Fuzzy flags on
filled entries are cleared. Exit status 1 while untranslated entries remain.
"""

from __future__ import annotations

import json
import sys

import polib


def main() -> int:
    po_path, json_path = sys.argv[1], sys.argv[2]
    catalogue = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as fh:
        translations: dict[str, str] = json.load(fh)
    for entry in catalogue:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalogue.save(po_path)
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
