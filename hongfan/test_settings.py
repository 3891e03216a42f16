"""Settings for the test suite: the normal settings with HONGFAN_ENV=test."""

import os

os.environ.setdefault("HONGFAN_ENV", "test")

from hongfan.settings import *  # noqa: F403

MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
