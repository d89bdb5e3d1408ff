from __future__ import annotations

import asyncio

import httpx2
import pytest

from hf_endpoint_widgets import AsyncEndpointsClient, EndpointsClient, errors

from .conftest import mock_only
from .fake_api import API, HUB, FakeAPI

# These tests script exact responses, which only the in-memory fake can give.
pytestmark = mock_only


def alice_client(fake: FakeAPI, **options: int) -> EndpointsClient:
    """A client of the fake, in namespace ``alice``, with the default options."""
    return EndpointsClient(
        fake.token,
        api_url=API,
        hub_url=HUB,
        namespace="alice",
        transport=fake.transport(),
        **options,
    )


@pytest.mark.parametrize(
    ("code", "cls", "hint"),
    [
        (400, errors.BadRequestError, "Fix the arguments named"),
        (401, errors.AuthenticationError, "Set HF_TOKEN"),
        (403, errors.AuthenticationError, "may manage Inference Endpoints"),
        (404, errors.NotFoundError, "list_inference_endpoints()"),
        (409, errors.ConflictError, "Pick another name"),
        (422, errors.BadRequestError, "Fix the arguments named"),
        (429, errors.RateLimitError, "Wait 3 s, then try again."),
        (500, errors.ServerError, "on the server's side"),
        (502, errors.ServerError, "on the server's side"),
        (503, errors.ServerError, "try again in a moment"),
        (418, errors.InferenceEndpointHTTPError, "Check the request"),
    ],
)
def test_status_codes_map_to_errors(
    fake: FakeAPI, code: int, cls: type, hint: str
) -> None:
    response = httpx2.Response(
        code,
        json={"error": "something specific"},
        headers={"x-request-id": "req-42", "retry-after": "3"},
    )
    fake.script.extend([response] * 4)
    client = alice_client(fake, max_retries=0)

    with pytest.raises(cls) as info:
        client.pause_inference_endpoint("my-bert")

    error = info.value
    assert type(error) is cls
    assert isinstance(error, errors.InferenceEndpointError)
    assert (error.status_code, error.request_id) == (code, "req-42")
    assert error.server_message == "something specific"
    assert error.endpoint == "alice/my-bert"
    message = str(error)
    assert "alice/my-bert" in message and "something specific" in message
    assert "req-42" in message and "\n" not in message
    assert hint in message.partition("req-42]. ")[2]
    assert fake.token not in message
    if cls is errors.RateLimitError:
        assert error.retry_after == 3.0


def test_tree_has_one_root() -> None:
    public = [getattr(errors, name) for name in errors.__all__ if name[0].isupper()]

    for cls in public:
        assert issubclass(cls, errors.InferenceEndpointError)
    assert issubclass(errors.InferenceEndpointTimeoutError, TimeoutError)
    assert issubclass(errors.BadRequestError, ValueError)


def test_html_error_pages_are_not_quoted(
    fake: FakeAPI, client: EndpointsClient
) -> None:
    fake.script.append(
        httpx2.Response(502, text="<html><body>Bad gateway</body></html>")
    )
    fake.script.extend([httpx2.Response(502, text="<html></html>")] * 3)

    with pytest.raises(errors.ServerError) as info:
        client.get_inference_endpoint("my-bert")

    assert "<html" not in str(info.value)


def test_connection_errors_are_wrapped(fake: FakeAPI) -> None:
    fake.script.append(httpx2.ConnectError("refused"))
    client = alice_client(fake)

    with pytest.raises(errors.EndpointConnectionError, match="api.test") as info:
        client.pause_inference_endpoint("my-bert")

    assert "alice/my-bert" in str(info.value) or info.value.endpoint == "alice/my-bert"


def test_a_request_timeout_is_a_timeout_error(fake: FakeAPI) -> None:
    fake.script.append(httpx2.ReadTimeout("slow"))
    client = alice_client(fake)

    with pytest.raises(TimeoutError) as info:
        client.pause_inference_endpoint("my-bert")

    error = info.value
    assert isinstance(error, errors.RequestTimeoutError)
    assert isinstance(error, errors.EndpointConnectionError)
    assert not isinstance(error, errors.InferenceEndpointTimeoutError)
    assert error.endpoint == "alice/my-bert"
    assert "api.test" in str(error) and "timeout=" in str(error)
    assert len(fake.sent("POST")) == 1


def test_reads_retry_timeouts_then_raise_a_timeout_error(
    fake: FakeAPI, client: EndpointsClient
) -> None:
    fake.script.append(httpx2.ConnectTimeout("slow"))
    assert client.get_inference_endpoint("alice/my-bert").status == "running"

    fake.script.extend([httpx2.ReadTimeout("slow")] * 4)
    with pytest.raises(errors.RequestTimeoutError, match="did not answer in time"):
        client.get_inference_endpoint("alice/my-bert")
    assert len(fake.sent("GET")) == 6


@pytest.mark.parametrize(
    "response",
    [
        httpx2.Response(
            200, text="<html>Sign in</html>", headers={"x-request-id": "r1"}
        ),
        httpx2.Response(200, json=["not", "an", "endpoint"]),
        httpx2.Response(200),
    ],
)
def test_a_success_that_is_not_json_is_explained(
    fake: FakeAPI, client: EndpointsClient, response: httpx2.Response
) -> None:
    fake.script.append(response)

    with pytest.raises(errors.UnexpectedResponseError) as info:
        client.get_inference_endpoint("alice/my-bert")

    error = info.value
    assert error.endpoint == "alice/my-bert" and error.status_code == 200
    message = str(error)
    assert "get alice/my-bert" in message and "api_url" in message
    assert "<html" not in message and "\n" not in message
    assert len(fake.requests) == 1


def test_an_async_success_that_is_not_json_is_explained(fake: FakeAPI) -> None:
    fake.script.append(httpx2.Response(200, text="maintenance"))

    async def scenario() -> None:
        async with AsyncEndpointsClient(
            fake.token, api_url=API, hub_url=HUB, transport=fake.transport()
        ) as client:
            await client.list_inference_endpoints("alice")

    with pytest.raises(errors.UnexpectedResponseError, match="list endpoints of alice"):
        asyncio.run(scenario())
