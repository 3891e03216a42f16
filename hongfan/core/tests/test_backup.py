"""Backup and restore: a round trip gives the same rows, files and a verifying audit chain."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from hongfan.audit.models import AuditEntry
from hongfan.audit.services import check_chain
from hongfan.core import backup as bk
from hongfan.core.testing import World
from hongfan.org.models import Staff


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _counts() -> dict[str, int]:
    return {bk._label(m): m._base_manager.count() for m in bk.backed_up_models()}


def _media_sums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def archive(world: World, media: Path, tmp_path: Path) -> tuple[Path, dict[str, int], World]:
    call_command("seed_holidays", stdout=io.StringIO())
    default_storage.save("orglife/2026/支部会议纪要.pdf", ContentFile(b"%PDF-1.4 minutes"))
    default_storage.save("loops/evidence/photo.jpg", ContentFile(bytes(range(256)) * 40))
    counts = _counts()
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "out"), stdout=out)
    path = next((tmp_path / "out").glob("hongfan-*.tar.gz"))
    assert str(path) in out.getvalue()
    return path, counts, world


def _empty_the_database() -> None:
    """Empty the test database as a fresh ``migrate`` leaves it (content types, no data)."""
    if connection.vendor == "postgresql":  # no TRUNCATE with deferred checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def test_a_round_trip_restores_every_row_file_and_the_audit_chain(
    archive: tuple[Path, dict[str, int], World],
    media: Path,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path, counts, world = archive
    sums = _media_sums(media)
    staff = world.staff[next(iter(world.staff))]
    id_card, phone = staff.id_card, staff.phone
    audit_rows = counts["audit.auditentry"]
    assert audit_rows > 0 and counts["workdays.calendarday"] > 0 and len(sums) == 2

    _empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    assert AuditEntry.objects.count() == 0 and Staff.objects.count() == 0

    out = io.StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    assert "chain verified" in out.getvalue()

    after = _counts()
    after["audit.auditentry"] -= 1  # the restore itself is appended to the log
    assert after == counts
    assert _media_sums(Path(settings.MEDIA_ROOT)) == sums
    restored = Staff.objects.get(pk=staff.pk)
    assert (restored.id_card, restored.phone) == (id_card, phone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_card FROM org_staff WHERE id = %s", [staff.pk])
        assert cursor.fetchone()[0].startswith("v1:")  # still encrypted at rest
    assert check_chain().ok
    call_command("verify_audit_chain", stdout=io.StringIO())
    last = AuditEntry.objects.latest("id")
    assert (last.action, last.object_type) == (AuditEntry.Action.IMPORT, "core.backup")


def test_the_archive_holds_no_clear_id_card_number(
    archive: tuple[Path, dict[str, int], World],
) -> None:
    path, _c, world = archive
    with tarfile.open(path, "r:gz") as tar:
        data = tar.extractfile("db/org.staff.jsonl").read().decode()  # type: ignore[union-attr]
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    for staff in world.staff.values():
        assert staff.id_card not in data
    assert manifest["tables"]["org.staff"] == len(data.splitlines())
    assert "sessions.session" not in manifest["tables"]
    assert all(len(v) == 64 for v in manifest["files"].values())
    assert path.stat().st_mode & 0o077 == 0  # owner only: password hashes, TOTP secrets
    sidecar = path.with_name(path.name + ".sha256").read_text()
    assert sidecar.split()[0] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_non_empty_database_is_refused(archive: tuple[Path, dict[str, int], World]) -> None:
    path, counts, _world = archive
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), "--yes")
    assert _counts()["org.staff"] == counts["org.staff"]


def test_restore_needs_yes(archive: tuple[Path, dict[str, int], World]) -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive[0]))


def _rewrite(path: Path, target: Path, change: dict[str, bytes]) -> Path:
    with tarfile.open(path, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            data = change.get(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return target


def test_a_tampered_archive_is_refused_and_nothing_is_written(
    archive: tuple[Path, dict[str, int], World],
    media: Path,
    tmp_path: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    path, _c, _world = archive
    with tarfile.open(path, "r:gz") as tar:
        lines = tar.extractfile("db/audit.auditentry.jsonl").read().splitlines()  # type: ignore[union-attr]
    row = json.loads(lines[0])
    row["fields"]["username"] = "mallory"
    lines[0] = json.dumps(row).encode()
    bad = _rewrite(path, tmp_path / "bad.tar.gz", {"db/audit.auditentry.jsonl": b"\n".join(lines)})
    _empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    with pytest.raises(CommandError, match=r"checksum mismatch for db/audit\.auditentry\.jsonl"):
        call_command("restore", str(bad), "--yes")
    assert AuditEntry.objects.count() == 0
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_file_slipped_into_the_archive_is_refused(
    archive: tuple[Path, dict[str, int], World], tmp_path: Path
) -> None:
    path, _c, _world = archive
    bad = tmp_path / "extra.tar.gz"
    _rewrite(path, bad, {})
    with tarfile.open(bad, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(bad, "w:gz") as tar:
        for m, data in [*members, (tarfile.TarInfo("media/evil.sh"), b"rm -rf /")]:
            m.size = len(data)
            tar.addfile(m, io.BytesIO(data))
    _empty_the_database()
    with pytest.raises(CommandError, match="not listed in the manifest"):
        call_command("restore", str(bad), "--yes")


def test_a_different_encryption_key_is_refused(
    archive: tuple[Path, dict[str, int], World],
    settings,  # type: ignore[no-untyped-def]
) -> None:
    import base64

    from hongfan.core import crypto

    path, _c, _world = archive
    _empty_the_database()
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(b"k" * 32).decode()
    crypto._master_key.cache_clear()
    try:
        with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEY"):
            call_command("restore", str(path), "--yes")
    finally:
        crypto._master_key.cache_clear()  # the settings fixture restores the key


@pytest.mark.django_db(transaction=True)
def test_a_backup_outside_a_transaction_reads_one_snapshot(media: Path, tmp_path: Path) -> None:
    from hongfan.audit import services

    before = AuditEntry.objects.count()  # other transactional tests may have left some
    for i in range(3):
        services.record(AuditEntry.Action.OTHER, object_type="test", object_repr=str(i))
    result = bk.backup(tmp_path / "out")
    assert result.tables["audit.auditentry"] == AuditEntry.objects.count() == before + 3
    assert not connection.in_atomic_block
    services.record(AuditEntry.Action.OTHER, object_type="test", object_repr="after")  # unlocked


def test_an_archive_of_another_schema_version_is_refused(
    archive: tuple[Path, dict[str, int], World], tmp_path: Path
) -> None:
    path, _c, _world = archive
    with tarfile.open(path, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    manifest["migrations"].append("org.9999_from_the_future")
    other = _rewrite(
        path, tmp_path / "future.tar.gz", {"manifest.json": json.dumps(manifest).encode()}
    )
    _empty_the_database()
    with pytest.raises(CommandError, match="schema differs"):
        call_command("restore", str(other), "--yes")


def test_a_file_that_is_not_an_archive_is_refused(db: None, tmp_path: Path) -> None:
    junk = tmp_path / "hongfan-junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tar")
    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore", str(junk), "--yes")
