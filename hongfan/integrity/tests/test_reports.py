"""Reports (举报): anonymity, the receipt code, throttling, encryption, restricted reading."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, login
from hongfan.integrity import services
from hongfan.integrity.models import Report, ReportAttachment
from hongfan.integrity.tests import factories as f
from hongfan.loops import services as loops
from hongfan.loops.selectors import matters_visible_to
from hongfan.scoring.models import LedgerEvent
from hongfan.scoring.selectors import events_for_source

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
UA = "Mozilla/5.0 (Linux; Android 14) TestAgent-7f3c9e"
BODY = "外科某医生在手术前收受患者家属红包两千元，地点在医生办公室。"


def _dump_database() -> str:
    """Every value of every table, as one text (for "appears nowhere" assertions)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def _post_anonymous(client: Client, data: dict) -> object:
    return client.post(
        reverse("integrity:anonymous_report"), data, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA
    )


def test_an_anonymous_report_leaves_no_address_agent_or_cookie_anywhere(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client()
    r = client.get(reverse("integrity:anonymous_report"), REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    assert r.status_code == 200
    r = _post_anonymous(
        client,
        {
            "category": "8",
            "subject": "普外科",
            "body": BODY,
            "files": [
                SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")
            ],
        },
    )
    assert r.status_code == 200
    code = r.context["code"].replace(" ", "")
    # A wrong code, then the right one, then additional information: all traceless too.
    follow = reverse("integrity:anonymous_follow")
    client.post(follow, {"code": "9" * 20}, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    client.post(follow, {"code": code}, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    r = client.post(
        follow,
        {"code": code, "form": "info", "body": "补充：当时还有一名护士在场，可以作证。"},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=UA,
    )
    assert r.context["added"] is True

    for response in (r,):
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert not response.cookies
    assert not client.cookies  # no session, CSRF or language cookie was ever set

    dump = _dump_database()
    assert Report.objects.count() == 1
    assert AuditEntry.objects.exists()  # the writes were audited …
    assert IP not in dump  # … without the address
    assert UA not in dump and "TestAgent-7f3c9e" not in dump
    assert IP not in caplog.text and "TestAgent" not in caplog.text


def test_the_anonymous_pages_send_no_store_and_no_referrer() -> None:
    r = Client().get(reverse("integrity:anonymous_follow"))
    assert r["Cache-Control"] == "no-store"
    assert r["Referrer-Policy"] == "no-referrer"
    assert "csrftoken" not in r.cookies and "sessionid" not in r.cookies


def test_a_logged_in_page_still_records_the_address(world: World) -> None:
    """The marker only exempts the anonymous pages: others keep the source address."""
    client = login(Client(), world.user(Role.DISCIPLINE))
    client.post(
        reverse("integrity:code_create"),
        {"title": "服务规范", "version": "v1", "effective_on": "2026-01-01", "body": "正文"},
        REMOTE_ADDR=IP,
    )
    assert AuditEntry.objects.filter(source_ip=IP).exists()


def test_the_receipt_code_is_twenty_digits_stored_only_as_an_argon2_hash(world: World) -> None:
    report, code = f.anonymous_report()
    assert len(code) == 20 and code.isdigit()
    report.refresh_from_db()
    assert report.receipt_hash.startswith("argon2")
    assert report.receipt_bucket == code[:4]
    dump = _dump_database()
    assert code not in dump and code[4:] not in dump
    assert services.receipt_lookup(code).pk == report.pk
    assert (
        services.receipt_lookup(" ".join(code[i : i + 4] for i in range(0, 20, 4))).pk == report.pk
    )


@pytest.mark.parametrize("bad", ["123", "1" * 19, "1" * 21, "abcd" * 5])
def test_a_receipt_code_of_the_wrong_length_is_refused_clearly(bad: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.receipt_lookup(bad)
    assert "20" in str(exc.value)


def test_wrong_codes_are_throttled_per_bucket_then_released(world: World) -> None:
    report, code = f.anonymous_report()
    now = timezone.now()
    wrong = code[:4] + ("0" * 16 if code[4:] != "0" * 16 else "1" * 16)
    for _ in range(services.THROTTLE_BUCKET_FAILURES):
        with pytest.raises(ValidationError) as exc:
            services.receipt_lookup(wrong, now=now)
        assert "code" in exc.value.error_dict
    # Locked: even the right code is refused now …
    with pytest.raises(services.Throttled):
        services.receipt_lookup(code, now=now + dt.timedelta(minutes=1))
    # … and accepted once the lock has expired.
    later = now + services.THROTTLE_LOCK + dt.timedelta(seconds=1)
    assert services.receipt_lookup(code, now=later).pk == report.pk


def test_wrong_codes_across_buckets_lock_all_lookups(world: World) -> None:
    _report, code = f.anonymous_report()
    now = timezone.now()
    n = 0
    bucket = 0
    while n < services.THROTTLE_GLOBAL_FAILURES:
        b = f"{bucket:04d}"
        bucket += 1
        if b == code[:4]:
            continue
        for _ in range(2):
            with pytest.raises(ValidationError):
                services.receipt_lookup(b + "5" * 16, now=now)
            n += 1
    with pytest.raises(services.Throttled):
        services.receipt_lookup(code, now=now)


def test_the_follow_page_says_when_guesses_are_throttled(world: World) -> None:
    _report, code = f.anonymous_report()
    client = Client()
    url = reverse("integrity:anonymous_follow")
    wrong = code[:4] + ("0" * 16 if code[4:] != "0" * 16 else "1" * 16)
    for _ in range(services.THROTTLE_BUCKET_FAILURES):
        client.post(url, {"code": wrong})
    r = client.post(url, {"code": code})
    assert "15 分钟" in r.content.decode()
    assert "report" not in r.context or r.context.get("report") is None


def test_the_reporter_reads_the_reply_and_adds_information_with_the_code(world: World) -> None:
    report, code = f.anonymous_report()
    services.report_reply(report=report, actor=f.office(world), body="已受理，正在核查。")
    client = Client()
    url = reverse("integrity:anonymous_follow")
    r = client.post(url, {"code": code})
    assert "已受理，正在核查。" in r.content.decode()
    client.post(url, {"code": code, "form": "info", "body": "补充证据：缴费单据照片已拍下。"})
    assert report.messages.filter(direction="reporter").count() == 1


def test_report_text_and_attachments_are_encrypted_at_rest(world: World) -> None:
    content = "付款记录：2026年3月5日 转账 2000 元".encode()
    report, _code = f.anonymous_report(
        body=BODY, files=[SimpleUploadedFile("记录.txt", content, "text/plain")]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, subject FROM integrity_report WHERE id = %s", [report.pk])
        body, subject = cursor.fetchone()
        cursor.execute("SELECT data, name FROM integrity_reportattachment")
        data, name = cursor.fetchone()
    assert (BODY not in body and "红包" not in body and body.startswith("v1:")) or ":" in body
    assert "普外科" not in subject and "某科室" not in subject
    import base64

    assert base64.b64encode(content).decode() not in data and "记录" not in name
    att = ReportAttachment.objects.get()
    assert services.attachment_bytes(att) == content


def test_an_attachment_of_a_wrong_type_or_too_large_loses_the_whole_report(
    world: World, settings: object
) -> None:
    with pytest.raises(ValidationError) as exc:
        f.anonymous_report(
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream")]
        )
    assert "files" in exc.value.error_dict
    settings.HONGFAN_UPLOAD_MAX_BYTES = 10  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        f.anonymous_report(files=[SimpleUploadedFile("a.txt", b"x" * 100, "text/plain")])
    assert Report.objects.count() == 0


def test_the_form_keeps_what_was_typed_when_a_file_is_refused(world: World) -> None:
    r = Client().post(
        reverse("integrity:anonymous_report"),
        {
            "category": "8",
            "body": BODY,
            "files": [SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")],
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert BODY in html and "不允许" in html
    assert Report.objects.count() == 0


def test_script_in_report_text_is_shown_as_text(world: World) -> None:
    report, _code = f.anonymous_report(body="<script>alert('x')</script> 收受红包的证据在此处说明")
    client = login(Client(), world.user(Role.DISCIPLINE))
    html = client.get(reverse("integrity:report_detail", args=[report.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_only_the_discipline_office_sees_the_report_matter(world: World) -> None:
    report, _code = f.anonymous_report()
    for role in Role.values:
        visible = matters_visible_to(world.user(role)).filter(pk=report.matter_id).exists()
        assert visible == (role == Role.DISCIPLINE), role
        client = login(Client(), world.user(role))
        r = client.get(reverse("loops:detail", args=[report.matter_id]))
        assert (r.status_code == 200) == (role == Role.DISCIPLINE), role


def test_a_named_reporters_identity_is_encrypted_and_every_reading_is_logged(
    world: World,
) -> None:
    report = f.named_report(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_identity FROM integrity_report WHERE id = %s", [report.pk])
        (stored,) = cursor.fetchone()
    assert "周群众" not in stored and "13800138000" not in stored
    assert report.matter.originator_id is None
    client = login(Client(), world.user(Role.DISCIPLINE))
    url = reverse("integrity:report_detail", args=[report.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="identity"' not in html  # hidden until asked for
    before = AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, detail__what="reporter identity"
    ).count()
    html = client.post(url, {"form": "identity"}).content.decode()
    assert 'data-testid="identity">周群众（' in html
    after = AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, detail__what="reporter identity"
    ).count()
    assert after == before + 1


def test_a_named_reporter_sees_only_their_own_reports(world: World) -> None:
    mine = f.named_report(world)
    other = services.report_submit_named(
        actor=world.user(Role.DEPARTMENT_HEAD),
        category="1",
        subject="",
        body="另一份实名举报内容，请核查。",
    )
    client = login(Client(), world.user(Role.STAFF))
    assert client.get(reverse("integrity:report_mine", args=[mine.pk])).status_code == 200
    assert client.get(reverse("integrity:report_mine", args=[other.pk])).status_code == 404


def test_a_violation_found_true_emits_a_pending_ethics_event(world: World) -> None:
    report, _code = f.anonymous_report()
    office = f.office(world)
    staff = world.staff["plain_b1"]
    with pytest.raises(ValidationError):
        services.report_finding_record(
            report=report, actor=office, staff=staff, kind="veto", summary="收受红包"
        )
    m = loops.matter_transition(matter=report.matter, action="investigate", actor=office)
    loops.matter_transition(
        matter=m,
        action="conclude",
        actor=office,
        evidence_note="调查属实",
        expected_version=m.version,
    )
    report.refresh_from_db()
    services.report_finding_record(
        report=report, actor=office, staff=staff, kind="veto", summary="收受红包"
    )
    event = events_for_source(report).get()
    assert event.rule.code == "integrity.veto"
    assert event.status == LedgerEvent.Status.PENDING
    assert event.subject_id == staff.pk if hasattr(event, "subject_id") else True
