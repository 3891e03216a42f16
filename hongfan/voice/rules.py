"""Configurable rules of patient voice (DOMAIN.md §7), read from settings at call time.

| setting | default | rule |
|---|---|---|
| ``HONGFAN_VOICE_FEEDBACK_DAYS`` | 5 | 《医疗机构投诉管理办法》2019: feedback in 5 working days |
| ``HONGFAN_VOICE_FEEDBACK_DAYS_MULTI`` | 10 | several departments involved [check] |
| ``HONGFAN_VOICE_MIN_N_HOSPITAL`` | 100 | HCAHPS: ≥ 100 responses before a hospital score |
| ``HONGFAN_VOICE_MIN_N_DEPARTMENT`` | 30 | ≥ 30 responses before a department score |
| ``HONGFAN_VOICE_WINDOW_MIN_DAYS`` | 2 | follow-up no earlier than 48 h after discharge |
| ``HONGFAN_VOICE_WINDOW_MAX_DAYS`` | 42 | … and no later than 6 weeks |
| ``HONGFAN_VOICE_MIN_AGE`` | 18 | patients under 18 are not sampled |
| ``HONGFAN_VOICE_CONSENT_VERSION`` | ``2026-01`` | version of the consent text on patient forms |
| ``HONGFAN_VOICE_PUBLIC_RATE`` | 20 | complaints, wishes, queries per IP and 10 minutes |
| ``HONGFAN_VOICE_SURVEY_RATE`` | 120 | survey submissions per IP and 10 minutes |
"""

from __future__ import annotations

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def feedback_days(department_count: int) -> int:
    """Working days to feedback: 5, or 10 when several departments are involved."""
    if department_count > 1:
        return _int("HONGFAN_VOICE_FEEDBACK_DAYS_MULTI", 10)
    return _int("HONGFAN_VOICE_FEEDBACK_DAYS", 5)


def min_n_hospital() -> int:
    return _int("HONGFAN_VOICE_MIN_N_HOSPITAL", 100)


def min_n_department() -> int:
    return _int("HONGFAN_VOICE_MIN_N_DEPARTMENT", 30)


def window_days() -> tuple[int, int]:
    return _int("HONGFAN_VOICE_WINDOW_MIN_DAYS", 2), _int("HONGFAN_VOICE_WINDOW_MAX_DAYS", 42)


def min_age() -> int:
    return _int("HONGFAN_VOICE_MIN_AGE", 18)


def consent_version() -> str:
    return str(getattr(settings, "HONGFAN_VOICE_CONSENT_VERSION", "2026-01"))


def public_rate() -> int:
    return _int("HONGFAN_VOICE_PUBLIC_RATE", 20)


def survey_rate() -> int:
    """Survey submissions per IP and 10 minutes (a ward's Wi-Fi shares one address)."""
    return _int("HONGFAN_VOICE_SURVEY_RATE", 120)
