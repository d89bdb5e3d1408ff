"""The manager's "New endpoint" form, embedded in the page and filled in by hand."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .widgets_ui import (
    MANAGER,
    SETUP,
    by_testid,
    eventually,
    open_widgets,
    row,
    row_status,
    state,
)

pytestmark = pytest.mark.browser

NAME = "from-the-form"


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_new_endpoint_form_creates_an_endpoint(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "form", [SETUP, MANAGER])
    new = by_testid(page, "hfew-new")
    slot = by_testid(page, "hfew-form-slot")
    form = slot.locator('[data-testid="hfew-form"]')

    def field(name: str):
        return form.locator(f'[data-testid="hfew-field-{name}"]')

    create = form.locator('[data-testid="hfew-create"]')

    new.click()
    expect(new).to_have_attribute("aria-expanded", "true")
    expect(form).to_be_visible()
    expect(form.locator(".hfew-title")).to_have_text(f"New endpoint in {sb.namespace}")
    # The pickers fill from the sandbox's hardware catalog, with prices.
    expect(field("vendor")).to_have_value("aws")
    expect(field("region")).to_have_value(re.compile(r".+"))
    expect(field("instance").locator("option").first).to_contain_text("/h")
    expect(create).to_be_disabled()

    field("name").fill("Not_Valid")
    expect(form.locator(".hfew-field-name .hfew-field-hint")).to_have_text(
        "Only lowercase letters, digits and '-'."
    )
    expect(field("name")).to_have_attribute("aria-invalid", "true")
    expect(create).to_be_disabled()

    field("name").fill(NAME)
    field("repository").fill("openai-community/gpt2")
    field("task").select_option("text-generation")
    field("region").select_option("us-east-1")
    instance = field("instance").input_value()
    expect(create).to_be_enabled()
    sb.speed = 10.0
    create.click()

    expect(form.locator('[data-testid="hfew-form-notice"]')).to_contain_text(
        f"Created {sb.namespace}/{NAME}."
    )
    expect(form.locator('[data-testid="hfew-form-error"]')).to_be_hidden()
    created = f"{sb.namespace}/{NAME}"
    expect(row(page, created)).to_be_visible()
    expect(row_status(page, created)).to_have_attribute("data-status", "running")
    eventually(lambda: state(sb, NAME) == "running")
    spec = sb.get(NAME)
    assert spec["model"]["repository"] == "openai-community/gpt2"
    assert spec["model"]["task"] == "text-generation"
    assert spec["provider"] == {"vendor": "aws", "region": "us-east-1"}
    compute = spec["compute"]
    assert instance.endswith(f"{compute['instanceType']}-{compute['instanceSize']}")

    new.click()
    expect(slot).to_be_hidden()
