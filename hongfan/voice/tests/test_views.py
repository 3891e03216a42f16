"""Pages of patient voice: masking everywhere, phone pages, rate limits, query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, login
from hongfan.loops import services as loops
from hongfan.voice import services
from hongfan.voice.models import Answer, Contact, Response, Survey, Wish
from hongfan.voice.tests import factories as f

pytestmark = pytest.mark.django_db

OTHER_PHONE = "13987654321"


def _client(w: World, role: str = Role.PRESIDENT_OFFICE) -> Client:
    return login(Client(), w.user(role))


def _xlsx_text(response: object) -> str:
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )


def test_no_page_or_export_shows_a_patient_phone_number_unmasked(world: World) -> None:
    contact = f.complaint(world)
    s = f.survey(Survey.Kind.DISCHARGE)
    f.discharge(world, "ZY1", timezone.localdate() - dt.timedelta(days=3), phone=OTHER_PHONE)
    out = timezone.localdate() - dt.timedelta(days=3)
    sample = services.sample_draw(
        survey=s, year=out.year, quarter=(out.month - 1) // 3 + 1, rate=100
    )
    cl = services.contact_list_create(survey=s, name="名单", lines=f"张三,{f.PHONE},心内科")
    day = services.reception_save(
        kind="president",
        title="接待日",
        starts_at=f.at(2026, 12, 15, 9),
        location="行政楼",
        hosts="院长",
        capacity=5,
    )
    services.registration_add(day=day, name="刘女士", phone=f.PHONE, topic="费用", consent=True)
    wish, _code = services.wish_submit(
        origin=Wish.Origin.PATIENT, text="想见主治医生", phone=OTHER_PHONE, consent=True
    )
    client = _client(world)
    pages = [
        reverse("voice:index"),
        reverse("voice:contacts"),
        reverse("voice:contact_detail", args=[contact.pk]),
        reverse("voice:stats"),
        reverse("voice:discharges"),
        reverse("voice:workstation"),
        reverse("voice:followup", args=[sample.followups.get().pk]),
        reverse("voice:contact_list_links", args=[cl.pk]),
        reverse("voice:reception_detail", args=[day.pk]),
        reverse("voice:wishes"),
        reverse("voice:wish_detail", args=[wish.pk]),
        reverse("loops:detail", args=[contact.matter_id]),
        reverse("loops:detail", args=[wish.matter_id]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert f.PHONE not in body and OTHER_PHONE not in body, url
    assert "138****5678" in client.get(reverse("voice:contacts")).content.decode()
    exports = [
        reverse("voice:contacts"),
        reverse("voice:discharges"),
        reverse("voice:contact_list_links", args=[cl.pk]),
        reverse("voice:wishes"),
    ]
    for url in exports:
        text = _xlsx_text(client.get(url, {"export": "xlsx"}))
        assert f.PHONE not in text and OTHER_PHONE not in text, url
        assert "****" in text, url


def test_the_dial_action_is_audited_and_hands_the_number_to_the_phone(world: World) -> None:
    s = f.survey(Survey.Kind.DISCHARGE)
    out = timezone.localdate() - dt.timedelta(days=3)
    f.discharge(world, "ZY1", out)
    sample = services.sample_draw(
        survey=s, year=out.year, quarter=(out.month - 1) // 3 + 1, rate=100
    )
    fu = sample.followups.get()
    response = _client(world).post(reverse("voice:followup_dial", args=[fu.pk]))
    assert response["Location"] == f"tel:{f.PHONE}"
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, detail__what="voice.followup.dial"
    ).exists()


def test_the_public_complaint_page_has_an_unticked_consent_box_and_refuses_without_it(
    world: World,
) -> None:
    url = reverse("voice:public_complaint")
    body = Client().get(url).content.decode()
    assert 'name="consent"' in body
    assert 'name="consent" id="id_consent" checked' not in body
    data = {
        "kind": "complaint",
        "causes": ["waiting"],
        "content": "排队太久",
        "phone": f.PHONE,
    }
    response = Client().post(url, data)
    assert response.status_code == 200
    assert Contact.objects.count() == 0
    assert "同意" in response.content.decode()
    response = Client().post(url, {**data, "consent": "on"})
    contact = Contact.objects.get()
    assert contact.consent_version and contact.channel == Contact.Channel.PHONE_PAGE
    assert contact.number in response.content.decode()


def test_script_in_a_complaint_is_shown_as_text(world: World) -> None:
    contact = f.complaint(world, content="<script>alert('x')</script>医生态度差")
    body = _client(world).get(reverse("voice:contact_detail", args=[contact.pk])).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_a_patient_checks_progress_with_the_query_code(world: World) -> None:
    contact, code = services.contact_record(
        kind="complaint",
        channel="phone_page",
        content="收费有误",
        causes=["cost"],
        phone=f.PHONE,
        consent=True,
    )
    url = reverse("voice:public_query")
    body = Client().post(url, {"code": code}).content.decode()
    assert contact.number in body and "已登记" in body
    assert f.PHONE not in body
    body = Client().post(url, {"code": "WRONGCODE2"}).content.decode()
    assert contact.number not in body


@override_settings(HONGFAN_VOICE_PUBLIC_RATE=3)
def test_public_submissions_are_rate_limited(world: World) -> None:
    url = reverse("voice:public_query")
    statuses = [Client().post(url, {"code": "X"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_patient_completes_a_poster_survey_once(world: World) -> None:
    s = f.survey()
    poster = services.poster_create(survey=s, department=world.dept_a1, place="3 病区")
    url = reverse("voice:public_survey", args=[poster.code])
    page = Client().get(url)
    token = page.context["token"]
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    r1 = Client().post(url, {"token": token, **answers, "comment": "<b>谢谢</b>"})
    assert "感谢" in r1.content.decode() or "谢谢" in r1.content.decode()
    r2 = Client().post(url, {"token": token, **answers})
    assert "已经提交" in r2.content.decode() or "already" in r2.content.decode()
    assert Response.objects.count() == 1
    assert Response.objects.get().department_id == world.dept_a1.pk


def test_a_forged_survey_token_is_refused(world: World) -> None:
    s = f.survey()
    poster = services.poster_create(survey=s, department=world.dept_a1)
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    Client().post(reverse("voice:public_survey", args=[poster.code]), {"token": "x", **answers})
    assert Response.objects.count() == 0


def test_an_unanswered_question_keeps_the_other_answers_on_the_page(world: World) -> None:
    s = f.survey()
    poster = services.poster_create(survey=s, department=world.dept_a1)
    url = reverse("voice:public_survey", args=[poster.code])
    token = Client().get(url).context["token"]
    qs = list(s.questions.all())
    answers = {f"q{q.pk}": 4 for q in qs[1:]}
    r = Client().post(url, {"token": token, **answers})
    body = r.content.decode()
    assert Response.objects.count() == 0
    assert f'id="q{qs[1].pk}-4" value="4" checked' in body


def _poster_url(world: World) -> tuple[Survey, str]:
    s = f.survey()
    poster = services.poster_create(survey=s, department=world.dept_a1, place="3 病区")
    return s, reverse("voice:public_survey", args=[poster.code])


def test_a_survey_submission_reads_one_row_and_writes_two(world: World) -> None:
    """The public submit path (issue 5's ≥ 200 /s): poster, survey and department in one
    SELECT, the questions from the per-process cache, then one INSERT for the response and
    one for all its answers. A regression (an N+1 over answers, a second read of the poster,
    a per-request audit row) shows here."""
    s, url = _poster_url(world)
    client = Client()
    token = client.get(url).context["token"]
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, {"token": token, **answers})
    assert 'data-testid="thanks"' in r.content.decode()
    verbs = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    statements = [v for v in verbs if v in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    assert statements == ["SELECT", "INSERT", "INSERT"], ctx.captured_queries
    assert Answer.objects.filter(response__survey=s).count() == len(answers)


def test_a_question_added_after_the_form_was_read_is_asked_for_on_submit(world: World) -> None:
    s, url = _poster_url(world)
    old = {f"q{q.pk}": 4 for q in s.questions.all()}
    token = Client().get(url).context["token"]  # the questions are now cached
    new = services.question_add(
        survey=s, text="您愿意推荐本院吗？", scale="likert5", dimension="overall"
    )
    r = Client().post(url, {"token": token, **old})
    assert Response.objects.count() == 0
    assert f'name="q{new.pk}"' in r.content.decode()
    r = Client().post(url, {"token": token, **old, f"q{new.pk}": 5})
    assert 'data-testid="thanks"' in r.content.decode()
    assert Answer.objects.get(question=new).value == 5


def test_a_closed_survey_takes_no_more_answers_from_its_poster(world: World) -> None:
    s, url = _poster_url(world)
    token = Client().get(url).context["token"]
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    services.survey_set_status(survey=s, status=Survey.Status.CLOSED)
    r = Client().post(url, {"token": token, **answers})
    assert r.status_code == 410
    assert Response.objects.count() == 0


def test_the_thank_you_page_is_in_the_patient_s_language(world: World) -> None:
    s, url = _poster_url(world)
    answers = {f"q{q.pk}": 5 for q in s.questions.all()}
    pages = {}
    for lang in ("en", "zh-hans", "en"):
        client = Client()
        client.cookies["django_language"] = lang
        token = client.get(url).context["token"]
        pages[lang] = client.post(url, {"token": token, **answers}).content.decode()
    assert "Thank you!" in pages["en"] and "感谢" not in pages["en"]
    assert "感谢" in pages["zh-hans"] and 'lang="zh-hans"' in pages["zh-hans"]
    assert Response.objects.count() == 3


@override_settings(HONGFAN_VOICE_SURVEY_RATE=2, HONGFAN_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_the_proxy_each_patient_s_address_has_its_own_survey_limit(world: World) -> None:
    _s, url = _poster_url(world)

    def post(ip: str) -> int:
        return Client().post(url, {"token": "x"}, HTTP_X_REAL_IP=ip).status_code

    assert [post("10.1.2.3") for _ in range(3)] == [200, 200, 429]
    assert post("10.1.2.4") == 200  # another phone behind the same nginx


def test_the_poster_page_shows_a_qr_code(world: World) -> None:
    poster = services.poster_create(survey=f.survey(), department=world.dept_a1)
    body = _client(world).get(reverse("voice:poster_print", args=[poster.code and poster.pk]))
    assert "<svg" in body.content.decode()


def test_an_operator_records_a_call_and_gets_the_query_code(world: World) -> None:
    data = {
        "kind": "complaint",
        "channel": "hotline",
        "content": "急诊等待时间长",
        "causes": ["waiting"],
        "departments": [world.dept_a1.pk],
        "phone": f.PHONE,
        "consent": "on",
    }
    r = _client(world).post(reverse("voice:contact_create"), data, follow=True)
    contact = Contact.objects.get()
    assert contact.matter.owner == world.user(Role.PRESIDENT_OFFICE)
    assert "查询码" in r.content.decode()


def test_lists_keep_their_query_count(world: World, django_assert_max_num_queries: object) -> None:
    office = world.user(Role.PRESIDENT_OFFICE)
    for i in range(12):
        c = f.complaint(world, content=f"投诉 {i}", departments=[world.dept_a1, world.dept_b1])
        if i % 3 == 0:
            loops.matter_transition(matter=c.matter, action="verify", actor=office)
        services.wish_submit(origin="staff", text=f"心愿 {i}", department=world.dept_a1)
    client = _client(world)
    for name in ("voice:contacts", "voice:wishes", "voice:index", "voice:stats"):
        with django_assert_max_num_queries(25):  # type: ignore[operator]
            assert client.get(reverse(name)).status_code == 200


def test_a_department_head_sees_only_complaints_about_the_department(world: World) -> None:
    mine = f.complaint(world, departments=[world.dept_a1])
    other = f.complaint(world, departments=[world.dept_b1], staff=[])
    client = _client(world, Role.DEPARTMENT_HEAD)
    body = client.get(reverse("voice:contacts")).content.decode()
    assert mine.number in body and other.number not in body
    assert client.get(reverse("voice:contact_detail", args=[other.pk])).status_code == 404
