"""Settings for the test suite: the normal settings with HONGFAN_ENV=test."""

import os

os.environ.setdefault("HONGFAN_ENV", "test")

from hongfan.settings import *  # noqa: F403

# pytest runs use a temporary MEDIA_ROOT (conftest.py); this one is for manage.py.
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405

# WhiteNoise serves static files from the finders on request (as in development) instead of
# listing every static file each time a middleware chain is built: every test client builds
# one, and the listing cost ~0.1 s per request in the permission matrix.
WHITENOISE_AUTOREFRESH = True
