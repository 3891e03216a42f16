"""Settings of benchmarks/bench_survey_submit.py: the project's settings with DEBUG off, the
survey rate limit lifted (every request comes from 127.0.0.1) and a bare view for the
baseline (benchmarks/voice_bench_urls.py)."""

from hongfan.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.voice_bench_urls"
HONGFAN_VOICE_SURVEY_RATE = 10**9
# Production keeps database connections open (DATABASE_CONN_MAX_AGE defaults to 60 there);
# without it every request opens a new PostgreSQL connection.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
