from __future__ import annotations

from typing import Any

import pytest

from hf_endpoint_widgets import _poller
from hf_endpoint_widgets._payloads import NAME_PATTERN
from hf_endpoint_widgets.widgets import CreateEndpointForm, EndpointManager
from hf_endpoint_widgets.widgets._spec import (
    SpecError,
    name_problem,
    parse_env,
    validate_spec,
)

from .fakes import FakeClient

SPEC = {
    "name": "new-llm",
    "repository": "openai-community/gpt2",
    "task": "text-generation",
    "framework": "pytorch",
    "vendor": "aws",
    "region": "us-east-1",
    "instance_type": "nvidia-l4",
    "instance_size": "x1",
    "min_replica": "0",
    "max_replica": "2",
    "scale_to_zero_timeout": "15",
    "type": "private",
    "env": "MAX_BATCH=8\n# comment\nMODE=fast",
}


def page(widget: object, **content: object) -> None:
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def test_validate_spec_builds_client_kwargs() -> None:
    name, kwargs = validate_spec({**SPEC, "accelerator": "gpu"})
    assert name == "new-llm"
    assert kwargs == {
        "repository": "openai-community/gpt2",
        "framework": "pytorch",
        "vendor": "aws",
        "region": "us-east-1",
        "instance_type": "nvidia-l4",
        "instance_size": "x1",
        "accelerator": "gpu",
        "min_replica": 0,
        "max_replica": 2,
        "scale_to_zero_timeout": 15,
        "type": "private",
        "task": "text-generation",
        "env": {"MAX_BATCH": "8", "MODE": "fast"},
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Bad_Name"}, "name"),
        ({"name": "x" * 33}, "name"),
        ({"name": ""}, "name"),
        ({"name": "-leading-dash"}, "name"),
        ({"repository": " "}, "repository"),
        ({"min_replica": "1"}, "scale_to_zero_timeout"),
        ({"max_replica": "0", "scale_to_zero_timeout": ""}, "max_replica"),
        ({"min_replica": "-1"}, "min_replica"),
        ({"min_replica": "two"}, "min_replica"),
        ({"type": "protected"}, "type"),
        ({"env": "NOT A PAIR"}, "env"),
        ({"region": ""}, "region"),
    ],
)
def test_validate_spec_rejects(change: dict, field: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_spec({**SPEC, "accelerator": "gpu", **change})
    assert field in info.value.fields


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("-leading", "must start and end with a letter or digit"),
        ("trailing-", "must start and end with a letter or digit"),
        ("Upper-case", "only lowercase letters, digits and '-'"),
        ("under_score", "only lowercase letters, digits and '-'"),
    ],
)
def test_name_problems_say_what_to_fix(name: str, problem: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_spec({**SPEC, "accelerator": "gpu", "name": name})
    assert info.value.fields["name"] == problem


def test_name_rule_covers_the_whole_name() -> None:
    assert name_problem("gpt2-demo") is None
    assert name_problem("gpt2-demo\n") == "only lowercase letters, digits and '-'"


def test_parse_env_refuses_duplicates() -> None:
    with pytest.raises(ValueError, match="twice"):
        parse_env("A=1\nA=2")
    assert parse_env({"A": 1}) == {"A": "1"}


def test_form_loads_the_catalog_from_the_page(client: FakeClient) -> None:
    form = CreateEndpointForm(client)  # type: ignore[arg-type]
    assert form.catalog_state == "" and form.hardware == []
    page(form, type="catalog")
    assert form.catalog_state == "ready"
    assert [row["price_per_hour"] for row in form.hardware] == [0.067, 0.8]
    assert form._name_rule == {"pattern": NAME_PATTERN.pattern, "max_length": 32}


def test_create_from_the_page_shows_up_in_the_manager(client: FakeClient) -> None:
    manager = EndpointManager(client, push=False)  # type: ignore[arg-type]
    form = manager.create_form()
    page(form, type="catalog")

    page(form, type="create", spec=SPEC, request="c1")

    assert form.created == "alice/new-llm"
    assert form.error == "" and form.busy == ""
    assert "alice/new-llm" in [row["id"] for row in manager.endpoints]
    kwargs = client.raws["alice/new-llm"]["create_kwargs"]
    assert kwargs["accelerator"] == "gpu" and kwargs["env"] == {
        "MAX_BATCH": "8",
        "MODE": "fast",
    }


def test_invalid_spec_from_the_page(client: FakeClient) -> None:
    form = CreateEndpointForm(client)  # type: ignore[arg-type]
    page(form, type="catalog")
    page(form, type="create", spec={**SPEC, "instance_size": "x9"})
    assert client.count("create") == 0
    assert form.field_errors == {
        "instance_type": "not in the hardware catalog of this region"
    }
    assert form.error.startswith("Fix the highlighted fields")


def test_api_refusal_is_reported(client: FakeClient) -> None:
    form = CreateEndpointForm(client)  # type: ignore[arg-type]
    page(form, type="create", spec={**SPEC, "name": "embedder", "accelerator": "gpu"})
    assert "Could not create alice/embedder: HTTP 409" in form.error
    with pytest.raises(Exception, match="exists"):
        form.submit({**SPEC, "name": "embedder", "accelerator": "gpu"})


def test_submit_from_python(client: FakeClient) -> None:
    form = CreateEndpointForm(client)  # type: ignore[arg-type]
    with pytest.raises(SpecError):
        form.submit({**SPEC, "name": "NO"})
    endpoint = form.submit({**SPEC, "accelerator": "gpu"})
    assert endpoint.id == "alice/new-llm"


def test_create_from_a_star_manager_refreshes_it_and_no_other(
    client: FakeClient,
) -> None:
    client.add("team-llm", "paused", namespace="acme")
    everyone: Any = client
    manager = EndpointManager(everyone, namespace="*", push=False)
    form = manager.create_form()
    page(form, type="catalog")

    page(form, type="create", spec={**SPEC, "accelerator": "gpu"})

    assert form.created == "alice/new-llm"
    assert "alice/new-llm" in [row["id"] for row in manager.endpoints]
    assert _poller.active_pollers() == [manager._poller]
    assert client.count("hardware") == 1
    manager.close()
    assert _poller.active_pollers() == []
