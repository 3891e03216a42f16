"""Backup and restore of the database and the uploaded files as one archive.

Why Django-level JSON rather than ``pg_dump``: the same archive works on SQLite (the embedded
default) and PostgreSQL, can be checked table by table, and restores into any freshly
migrated database of the same schema version. Production PostgreSQL should *also* run
``pg_dump -Fc`` nightly (docs/operations.md); this archive is the portable, verifiable copy
that includes the uploaded files.

The archive (``hongfan-YYYYmmdd-HHMMSS.tar.gz``) holds:

- ``db/<app_label>.<model>.jsonl``: every row of every table, one file per model, in
  dependency order, serialised with Django's JSON Lines serializer (one object a line, so
  backup and restore stream; primary keys kept, foreign keys as primary keys, many-to-many
  link tables as their own files);
- ``media/<path>``: every file under MEDIA_ROOT;
- ``manifest.json`` (last): format version, applied migrations, the load order, row counts
  per table, the SHA-256 of every other member, and a fingerprint of FIELD_ENCRYPTION_KEY.

Encrypted columns are written as stored (ciphertext, ``hongfan.core.fields.stored_values``),
so the archive holds no clear ID-card number and restores only under the same key. Audit
rows are copied as they are, with their ids, hashes and the chain head, so the chain still
verifies after a restore; the restore itself is then appended to the log as one entry.
Sessions are not backed up (everyone signs in again after a restore).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from hongfan.core.fields import stored_values

FORMAT = "hongfan-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Sign-ins are not restored: a restored system starts with nobody signed in.
EXCLUDED = frozenset({"sessions.session"})
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class BackupResult:
    path: Path
    sha256: str
    tables: dict[str, int]
    files: int


@dataclass
class RestoreResult:
    tables: dict[str, int]
    files: int
    audit_rows: int
    warnings: list[str] = field(default_factory=list)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """Return the concrete models to back up, parents before the models that refer to them."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    result: list[type[models.Model]] = []
    seen: set[str] = set()

    def add(model: type[models.Model]) -> None:
        meta = model._meta
        if meta.proxy or not meta.managed or _label(model) in EXCLUDED or _label(model) in seen:
            return
        seen.add(_label(model))
        result.append(model)

    for model in ordered:
        add(model)
    # Auto-created many-to-many link tables come last, as tables of their own.
    for model in ordered:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through is not None and through._meta.auto_created:
                add(through)
    return result


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(stream: io.BufferedIOBase | Any) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def key_fingerprint() -> str:
    """Return a fingerprint of FIELD_ENCRYPTION_KEY (not the key; reveals nothing of it)."""
    from hongfan.core import crypto

    return hmac.new(crypto._subkey(b"backup-fingerprint"), b"hongfan", hashlib.sha256).hexdigest()[
        :16
    ]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _counting(rows: Iterable[Any], counter: list[int]) -> Iterator[Any]:
    for row in rows:
        counter[0] += 1
        yield row


@contextmanager
def _snapshot(connection: Any, using: str) -> Iterator[None]:
    """Read every table from one moment without holding up the application's writers.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: a *deferred* read
    transaction (the project opens write transactions with BEGIN IMMEDIATE, which would stop
    every writer for the whole dump; in WAL mode a reader sees a snapshot and blocks nobody).
    Inside a caller's transaction (tests) that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")  # nothing was written
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(output_dir: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the archive into ``output_dir`` and return where and what it holds."""
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output / f"hongfan-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    tables: dict[str, int] = {}
    checksums: dict[str, str] = {}
    order: list[str] = []
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="hongfan-backup-") as tmp:
        db_dir = Path(tmp) / "db"
        db_dir.mkdir()
        # One transaction, so that every table is read from the same moment.
        with _snapshot(connection, using), stored_values():
            migrations = applied_migrations(using)
            for model in backed_up_models():
                label = _label(model)
                counter = [0]
                qs = model._base_manager.using(using).order_by(model._meta.pk.attname)
                names = [f.name for f in model._meta.local_concrete_fields if not f.primary_key]
                path = db_dir / f"{label}.jsonl"
                with path.open("w", encoding="utf-8") as fh:
                    serializers.serialize(
                        "jsonl",
                        _counting(qs.iterator(chunk_size=2000), counter),
                        stream=fh,
                        fields=names,
                        ensure_ascii=False,
                    )
                tables[label] = counter[0]
                order.append(label)
        partial = final.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for label in order:
                path = db_dir / f"{label}.jsonl"
                arcname = f"db/{label}.jsonl"
                checksums[arcname] = _sha256_file(path)
                tar.add(path, arcname=arcname, recursive=False)
            files = 0
            for path in _media_files(media_root):
                arcname = "media/" + path.relative_to(media_root).as_posix()
                checksums[arcname] = _sha256_file(path)
                tar.add(path, arcname=arcname, recursive=False)
                files += 1
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.localtime().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": migrations,
                "order": order,
                "tables": tables,
                "files": checksums,
                "media_files": files,
                "key_fingerprint": key_fingerprint(),
                "excluded": sorted(EXCLUDED),
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        # Password hashes and second-factor secrets are inside: readable by the owner only.
        partial.chmod(0o600)
        partial.replace(final)
    digest = _sha256_file(final)
    final.with_name(final.name + ".sha256").write_text(f"{digest}  {final.name}\n")
    return BackupResult(path=final, sha256=digest, tables=tables, files=files)


# --- restore -------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        stream = tar.extractfile(member)
        if stream is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(stream.read().decode())
    except (KeyError, ValueError) as exc:
        raise BackupError(
            "The archive has no readable manifest.json: not a Hongfan backup."
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            f"Unsupported archive format {manifest.get('format')!r} "
            f"version {manifest.get('version')!r} (expected {FORMAT} {VERSION})."
        )
    return manifest


def verify_archive(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Check that the archive holds exactly the manifest's files with their checksums."""
    expected: dict[str, str] = manifest["files"]
    seen: set[str] = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or not _safe_name(member.name):
            raise BackupError(f"Refused: the archive holds an unexpected entry {member.name!r}.")
        if member.name not in expected:
            raise BackupError(
                f"Refused: {member.name} is not listed in the manifest (the archive was altered)."
            )
        stream = tar.extractfile(member)
        if stream is None or _sha256_stream(stream) != expected[member.name]:
            raise BackupError(
                f"Refused: checksum mismatch for {member.name} (the archive was altered or "
                "damaged)."
            )
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"Refused: files listed in the manifest are missing: {missing[:5]}.")
    tables = manifest["tables"]
    if set(manifest["order"]) != set(tables) or any(
        f"db/{label}.jsonl" not in expected for label in tables
    ):
        raise BackupError("Refused: the manifest's table list is inconsistent.")


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> tuple[bool, str]:
    """Return whether nothing was ever done in the database (no accounts, no audit entries).

    Migrations seed configuration rows (loop types, rule sets, …) but create no account and
    no audit entry; any use of the system creates both.
    """
    from django.contrib.auth import get_user_model

    from hongfan.audit.models import AuditEntry

    users = get_user_model()._base_manager.using(using).count()
    entries = AuditEntry.objects.using(using).count()
    if users or entries:
        return False, f"{users} user accounts, {entries} audit entries"
    return True, ""


def _check_target(manifest: dict[str, Any], using: str) -> None:
    if manifest["key_fingerprint"] != key_fingerprint():
        raise BackupError(
            "Refused: FIELD_ENCRYPTION_KEY differs from the one in use when the archive was "
            "made; encrypted fields could not be read. Set the original key and run again."
        )
    here = applied_migrations(using)
    if here != manifest["migrations"]:
        missing = sorted(set(manifest["migrations"]) - set(here))
        extra = sorted(set(here) - set(manifest["migrations"]))
        raise BackupError(
            "Refused: the database's schema differs from the archive's "
            f"(missing here: {missing[:5]}, not in the archive: {extra[:5]}). "
            "Check out the version that made the backup and run migrate first."
        )
    empty, what = database_is_empty(using)
    if not empty:
        raise BackupError(
            f"Refused: the database is not empty ({what}). Restore only into a freshly "
            "migrated database (createdb + manage.py migrate)."
        )


def _media_conflicts(tar: tarfile.TarFile, manifest: dict[str, Any], root: Path) -> list[str]:
    conflicts = []
    for arcname, digest in manifest["files"].items():
        if not arcname.startswith("media/"):
            continue
        target = root / arcname.removeprefix("media/")
        if target.exists() and (not target.is_file() or _sha256_file(target) != digest):
            conflicts.append(arcname)
    return conflicts


def _load_table(tar: tarfile.TarFile, label: str, model: type[models.Model], using: str) -> int:
    """Insert the table's rows in batches while reading them (memory stays bounded)."""
    stream = tar.extractfile(f"db/{label}.jsonl")
    if stream is None:
        raise BackupError(f"Refused: db/{label}.jsonl is missing.")
    connection = connections[using]
    fields = list(model._meta.local_concrete_fields)
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, [None] * 500) or 500))
    manager = model._base_manager.using(using)
    count = 0
    batch: list[models.Model] = []
    rows = serializers.deserialize("jsonl", stream, using=using, handle_forward_references=False)
    for row in rows:
        batch.append(row.object)
        if len(batch) >= size:
            # raw=True: values are written as they were (no auto_now, no signals, no audit).
            manager._insert(batch, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]
        count += len(batch)
    return count


def _set_constraints(connection: Any, mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def restore(archive: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore ``archive`` into the empty, migrated database and MEDIA_ROOT.

    Refuses (``BackupError``, nothing written) an archive that does not match its manifest,
    a different encryption key or schema version, a database already in use, or uploaded
    files that would be overwritten with different content.
    """
    from django.contrib.contenttypes.models import ContentType

    from hongfan.audit import services as audit
    from hongfan.audit.models import AuditEntry

    path = Path(archive)
    if not path.is_file():
        raise BackupError(f"No such archive: {path}")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Refused: {path} is not a readable .tar.gz archive ({exc}).") from exc
    with tar:
        manifest = read_manifest(tar)
        verify_archive(tar, manifest)
        _check_target(manifest, using)
        conflicts = _media_conflicts(tar, manifest, media_root)
        if conflicts:
            raise BackupError(
                f"Refused: MEDIA_ROOT ({media_root}) already holds different files: "
                f"{conflicts[:5]}."
            )
        by_label = {_label(m): m for m in backed_up_models()}
        unknown = [label for label in manifest["order"] if label not in by_label]
        if unknown:
            raise BackupError(f"Refused: the archive holds tables this version lacks: {unknown}.")
        loaded: dict[str, int] = {}
        connection = connections[using]
        with transaction.atomic(using=using):
            # Empty every table, including the rows migrations seed and the content types,
            # so that the archive's rows keep their primary keys. PostgreSQL refuses to
            # TRUNCATE a table with deferred foreign-key checks pending: run them first.
            _set_constraints(connection, "IMMEDIATE")
            call_command(
                "flush",
                database=using,
                interactive=False,
                inhibit_post_migrate=True,
                verbosity=0,
            )
            _set_constraints(connection, "DEFERRED")
            with stored_values():
                for label in manifest["order"]:
                    loaded[label] = _load_table(tar, label, by_label[label], using)
            differing = {
                label: (loaded[label], count)
                for label, count in manifest["tables"].items()
                if loaded.get(label) != count
                or by_label[label]._base_manager.using(using).count() != count
            }
            if differing:
                raise BackupError(f"Refused: row counts differ after loading: {differing}.")
            sequences = connection.ops.sequence_reset_sql(no_style(), list(by_label.values()))
            if sequences:
                with connection.cursor() as cursor:
                    for sql in sequences:
                        cursor.execute(sql)
            if hasattr(connection, "check_constraints"):
                connection.check_constraints()
        ContentType.objects.clear_cache()
        files = 0
        for arcname in manifest["files"]:
            if not arcname.startswith("media/"):
                continue
            target = media_root / arcname.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = tar.extractfile(arcname)
            if stream is None:  # pragma: no cover (verified above)
                continue
            with target.open("wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
            files += 1
    result = RestoreResult(
        tables=loaded,
        files=files,
        audit_rows=loaded.get(_label(AuditEntry), 0),
    )
    report = audit.check_chain()
    if not report.ok:
        result.warnings.append(
            "The restored audit chain does not verify; run verify_audit_chain for the first "
            "broken row."
        )
    audit.record(
        AuditEntry.Action.IMPORT,
        object_type="core.backup",
        object_repr=path.name,
        detail={
            "restore": True,
            "created_at": manifest["created_at"],
            "rows": sum(loaded.values()),
            "files": files,
        },
    )
    return result
