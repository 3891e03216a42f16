"""The interface is Simplified Chinese: every catalogue is complete and compiles."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(
    (Path(settings.BASE_DIR) / "hongfan").glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
)


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 3


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_message_has_a_chinese_translation(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert missing == [], f"untranslated in {path}: {missing[:10]}"


def test_the_login_page_speaks_chinese_by_default(client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "红帆党建平台" in html
    assert "用户名" in html


def test_every_interface_string_in_the_source_is_translated() -> None:
    """A string that was never extracted into a catalogue shows up in English: catch it."""
    from hongfan.core.i18n_audit import untranslated

    root = Path(settings.BASE_DIR) / "hongfan"
    missing = untranslated(root, CATALOGUES)
    by_app: dict[str, int] = {}
    for m in missing:
        app = m.where.split("/")[1]
        by_app[app] = by_app.get(app, 0) + 1
    assert missing == [], f"{len(missing)} untranslated strings, by app {by_app}: " + "; ".join(
        f"{m.where} {m.msgid!r}" for m in missing[:15]
    )
