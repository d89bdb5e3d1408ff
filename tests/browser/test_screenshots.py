"""Screenshots of the manager, a badge and the forms in JupyterLab Light and Dark.

They land in ``artifacts/browser/`` for a person to look at; the test also checks
that text stays readable (contrast) in both themes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .notebook_ui import set_dark_theme
from .widgets_ui import BADGE, MANAGER, SETUP, by_testid, open_widgets, row_status

pytestmark = pytest.mark.browser

EXTRA = """\
manager.selected = ["embedder"]
form = manager.create_form()
form
"""
EDITOR = 'manager.update_form("chat-llm")'
# WCAG contrast ratio of an element's text colour on the first opaque background
# behind it.
CONTRAST = """(el) => {
  const rgba = (c) => {  // "rgb(r g b / a)", or "color(srgb r g b / a)" in 0..1
    const n = (c.match(/[\\d.]+/g) || []).map(Number);
    const scale = c.startsWith("color(") ? 255 : 1;
    return [n[0] * scale, n[1] * scale, n[2] * scale, n[3] ?? 1];
  };
  const over = ([r, g, b, a], [R, G, B]) =>
    [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  const lum = ([r, g, b]) => {
    const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] === 1) break;
  }
  const bg = layers.reverse().reduce((under, c) => over(c, under), [255, 255, 255]);
  const a = lum(over(rgba(getComputedStyle(el).color), bg)), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
# Text that must stay readable, with the least contrast it needs (WCAG AA: 4.5
# for body text, 3 for bold or large text).
READABLE = {
    ".hfew-manager .hfew-title": 4.5,
    ".hfew-manager .hfew-muted": 3.0,
    ".hfew-live": 3.0,
    '[data-testid="hfew-notice"]': 4.5,
    '[data-testid="hfew-new"]': 3.0,
    '[data-testid="hfew-action-resume"]': 3.0,
    '[data-testid="hfew-action-delete"]': 3.0,
    ".hfew-manager .hfew-status--success .hfew-status-word": 3.0,
    ".hfew-manager .hfew-status--warn .hfew-status-word": 3.0,
    ".hfew-manager .hfew-status--error .hfew-status-word": 3.0,
    ".hfew-manager .hfew-status--info .hfew-status-word": 3.0,
    ".hfew-manager .hfew-status--neutral .hfew-status-word": 3.0,
    ".hfew-manager .hfew-url": 3.0,
    ".hfew-badge-replicas": 3.0,
    '[data-testid="hfew-create"]': 3.0,
    '[data-testid="hfew-update-changes"]': 3.0,
    ".hfew-form .hfew-label": 4.5,
    ".hfew-form .hfew-field-hint": 3.0,
}


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_screenshots_light_and_dark(jupyter, sb, page, ui):
    sb.set_status("summarizer", "initializing")
    sb.seed("translator", task="translation", status="failed", message="Out of memory")
    sb.speed = 0.0  # freeze the sandbox so every shot shows the same states
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_widgets(page, jupyter, ui, "shots", [SETUP, MANAGER, BADGE, EXTRA, EDITOR])
    manager = by_testid(page, "hfew-manager")
    badge = by_testid(page, "hfew-badge")
    form = by_testid(page, "hfew-form")
    editor = by_testid(page, "hfew-update")
    expect(row_status(page, f"{sb.namespace}/translator")).to_be_visible()
    expect(by_testid(page, "hfew-field-instance")).to_have_value(
        "aws-us-east-1-intel-icl-x1"
    )
    by_testid(page, "hfew-refresh").click()
    expect(by_testid(page, "hfew-notice")).to_contain_text("Refreshed at")

    try:
        for theme in ("light", "dark"):
            set_dark_theme(page, theme == "dark")
            shots = (
                ("manager", manager),
                ("badge", badge),
                ("form", form),
                ("update", editor),
            )
            for name, widget in shots:
                widget.scroll_into_view_if_needed()
                widget.screenshot(
                    path=str(ARTIFACTS / f"{ui}_{theme}_{name}.png"),
                    animations="disabled",
                )
            low = {}
            for selector, least in READABLE.items():
                ratio = page.locator(selector).first.evaluate(CONTRAST)
                if ratio < least:
                    low[selector] = round(ratio, 2)
            assert not low, f"text too faint in the {theme} theme: {low}"
    finally:
        set_dark_theme(page, False)
