from __future__ import annotations

import pytest

from hongfan.accounts.models import User
from hongfan.core.testing import PASSWORD


@pytest.fixture
def alice(db: None) -> User:
    """A plain account without roles that need a second factor."""
    return User.objects.create_user(username="alice", password=PASSWORD)
