from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx2
import pytest

from hf_endpoint_widgets import EndpointsClient, errors
from hf_endpoint_widgets._http import retry_after

from .conftest import FakeClock, mock_only
from .fake_api import FakeAPI
from .sandbox_api import SandboxAPI

Backend = FakeAPI | SandboxAPI
NOW = datetime(2026, 12, 1, 10, 0, 0, tzinfo=timezone.utc).timestamp()


def answer(value: str) -> httpx2.Response:
    return httpx2.Response(
        429, json={"error": "slow down"}, headers={"retry-after": value}
    )


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("soon", None),
        ("inf", None),
        ("nan", None),
        ("Tue, 01 Dec 2026 10:00:30 GMT", 30.0),
        ("Tue, 01 Dec 2026 10:00:30 -0000", 30.0),
        ("Tue, 01 Dec 2026 09:00:00 GMT", 0.0),
    ],
)
def test_retry_after_reads_numbers_and_dates(value: str, seconds: float | None) -> None:
    assert retry_after(answer(value), now=lambda: NOW) == seconds


@mock_only
def test_a_malformed_retry_after_falls_back_to_backoff(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    fake.script.append(answer("soon"))

    assert client.get_inference_endpoint("alice/my-bert").status == "running"

    assert len(clock.sleeps) == 1 and clock.sleeps[0] <= 0.5


@mock_only
def test_a_malformed_retry_after_still_maps_to_rate_limit(fake: FakeAPI) -> None:
    fake.script.append(answer("soon"))
    client = EndpointsClient(
        fake.token,
        api_url=fake.api_url,
        hub_url=fake.hub_url,
        transport=fake.transport(),
        max_retries=0,
    )

    with pytest.raises(errors.RateLimitError, match="Wait a moment") as info:
        client.get_inference_endpoint("alice/my-bert")

    assert info.value.retry_after is None


@mock_only
def test_an_http_date_retry_after_is_waited_for(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    later = datetime.fromtimestamp(time.time(), timezone.utc) + timedelta(seconds=30)
    fake.script.append(answer(format_datetime(later, usegmt=True)))

    client.get_inference_endpoint("alice/my-bert")

    assert len(clock.sleeps) == 1 and 20.0 < clock.sleeps[0] <= 30.0


def test_a_long_retry_after_is_honoured_not_cut(
    api: Backend, client: EndpointsClient, clock: FakeClock
) -> None:
    api.fail("429", retry_after=45)

    assert client.get_inference_endpoint("alice/my-bert").status == "running"

    assert clock.sleeps == [45.0]


def test_a_retry_after_over_a_minute_gives_up_at_once(
    api: Backend, client: EndpointsClient, clock: FakeClock
) -> None:
    api.fail("429", retry_after=120)

    with pytest.raises(errors.RateLimitError, match="Wait 120 s") as info:
        client.get_inference_endpoint("alice/my-bert")

    assert info.value.retry_after == 120.0
    assert clock.sleeps == [] and len(api.requests) == 1
