"""Interface language: Simplified Chinese unless the user chose English.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a hospital PC with an
English-language browser would then get an English interface nobody asked for. Hongfan uses
the language cookie that the language switch (``/i18n/setlang/``) sets, and otherwise
``LANGUAGE_CODE`` (zh-hans).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
