from __future__ import annotations

import pytest

from relay_app.services import Services
from relay_app.services.records import RecordService


@pytest.fixture
def partners(services: Services) -> RecordService:
    return services.records("partners")
