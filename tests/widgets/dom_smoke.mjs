// Renders the widget modules in jsdom with a fake model and checks what a user sees.
// Run by test_dom.py: node dom_smoke.mjs <path to js/>
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const jsDir = path.resolve(process.argv[2]);
const require = createRequire(path.join(jsDir, "package.json"));
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!doctype html><body></body>", { pretendToBeVisual: true });
for (const key of ["window", "document", "Option", "HTMLElement", "Node", "Event",
  "AbortController"]) {
  globalThis[key] = key === "window" ? dom.window : dom.window[key];
}
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator });

function fakeModel(state) {
  const listeners = new Map();
  const model = {
    sent: [], sets: [], saves: 0,
    get: (name) => state[name],
    set(name, value) { this.sets.push([name, value]); state[name] = value; },
    save_changes() { this.saves += 1; },
    on(events, fn) {
      for (const e of events.split(" ")) {
        listeners.set(e, [...(listeners.get(e) || []), fn]);
      }
    },
    off(events, fn) {
      for (const e of (events || "").split(" ")) {
        listeners.set(e, fn ? (listeners.get(e) || []).filter((f) => f !== fn) : []);
      }
    },
    send(content) { this.sent.push(content); },
    python(name, value) {   // a change coming from the kernel
      state[name] = value;
      for (const fn of listeners.get(`change:${name}`) || []) fn();
    },
    widget_manager: { get_model: async () => ({}), create_view: async () => ({}) },
  };
  return model;
}

const row = (name, status, extra = {}) => ({
  id: `alice/${name}`, namespace: "alice", name, status, message: `is ${status}`,
  repository: "gpt2", task: "text-generation", vendor: "aws", region: "us-east-1",
  accelerator: "gpu", instance_type: "nvidia-l4", instance_size: "x1", min_replica: 0,
  max_replica: 1, ready_replica: status === "running" ? 1 : 0, target_replica: 1,
  price_per_hour: 0.8, url: status === "running" ? `https://${name}.example` : null,
  created_at: "2026-01-01T00:00:00Z", updated_at: new Date().toISOString(), ...extra,
});
const load = async (name) =>
  (await import(pathToFileURL(path.join(jsDir, name)))).default;
const byTest = (root, id) => root.querySelector(`[data-testid="${id}"]`);
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

// Manager
{
  const manager = await load("manager.js");
  const model = fakeModel({
    namespace: "alice", selection: [], busy: "", error: "", notice: "", form: null,
    poll_interval_ms: 30000, last_refresh: new Date().toISOString(),
    total_price_per_hour: 0.8,
    _rules: { pause: ["running"], resume: ["paused"], scale_to_zero: ["running"],
      update: ["running", "paused"], delete: ["*"] },
    endpoints: [row("chat", "running"),
      row("evil", "failed", { message: "<img src=x onerror=alert(1)>" }),
      row("sleepy", "paused")],
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = await manager.render({ model, el });

  assert.equal(el.querySelectorAll('[data-testid="hfew-row"]').length, 3);
  assert.deepEqual(model.sent[0], { type: "pull" });
  const evil = el.querySelector('[data-id="alice/evil"] .hfew-col-status');
  assert.equal(evil.title, "<img src=x onerror=alert(1)>");
  assert.equal(el.querySelector("img"), null);
  assert.match(byTest(el, "hfew-cost").textContent, /\$0\.80\/h/);

  const pause = byTest(el, "hfew-action-pause");
  const resume = byTest(el, "hfew-action-resume");
  assert.ok(pause.disabled && resume.disabled);
  const box = el.querySelector('input[data-id="alice/chat"]');
  box.checked = true;
  box.dispatchEvent(new Event("change", { bubbles: true }));
  assert.deepEqual(model.sets.at(-1), ["selection", ["alice/chat"]]);
  assert.equal(model.saves, 1);
  model.python("selection", ["alice/chat"]);
  assert.equal(model.saves, 1, "a selection from Python must not be echoed back");
  assert.ok(!pause.disabled && resume.disabled);

  const update = byTest(el, "hfew-action-update");
  const editSlot = byTest(el, "hfew-edit-slot");
  assert.ok(!update.disabled && editSlot.hidden);
  update.click();
  assert.equal(model.sent.at(-1).type, "edit");
  assert.ok(!editSlot.hidden);
  assert.equal(update.getAttribute("aria-expanded"), "true");
  update.click();
  assert.ok(editSlot.hidden, "a second click closes the update form");
  model.python("selection", ["alice/chat", "alice/sleepy"]);
  assert.ok(update.disabled, "one endpoint is updated at a time");
  model.python("selection", ["alice/chat"]);

  pause.click();
  assert.deepEqual({ ...model.sent.at(-1), request: undefined },
    { type: "action", action: "pause", names: ["alice/chat"], request: undefined });
  assert.ok(pause.disabled, "disabled until Python answers");
  pause.click();
  assert.equal(model.sent.filter((m) => m.type === "action").length, 1);
  model.python("busy", "pause");
  model.python("busy", "");
  await tick();
  assert.ok(!pause.disabled);

  byTest(el, "hfew-action-delete").click();
  const confirmBox = byTest(el, "hfew-confirm");
  const input = byTest(el, "hfew-confirm-input");
  const yes = byTest(el, "hfew-confirm-delete");
  assert.equal(confirmBox.hidden, false);
  input.value = "Chat";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  assert.ok(yes.disabled);
  input.value = "chat";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  yes.click();
  const last = model.sent.at(-1);
  assert.equal(last.action, "delete");
  assert.equal(last.confirm, "chat");

  const sortStatus = byTest(el, "hfew-sort-status");
  sortStatus.click();
  assert.equal(sortStatus.closest("th").getAttribute("aria-sort"), "ascending");
  const order = [...el.querySelectorAll('[data-testid="hfew-row"]')]
    .map((r) => r.dataset.id);
  assert.deepEqual(order, ["alice/chat", "alice/sleepy", "alice/evil"]);
  sortStatus.click();
  assert.equal(sortStatus.closest("th").getAttribute("aria-sort"), "descending");

  const filter = byTest(el, "hfew-filter");
  filter.value = "sleepy";
  filter.dispatchEvent(new Event("input", { bubbles: true }));
  assert.equal(el.querySelectorAll('[data-testid="hfew-row"]').length, 1);

  model.python("error", "Could not pause alice/chat: <b>HTTP 409</b>");
  const alert = byTest(el, "hfew-error");
  assert.equal(alert.hidden, false);
  assert.equal(alert.querySelector("b"), null);
  byTest(el, "hfew-dismiss").click();
  assert.equal(model.sent.at(-1).type, "dismiss");

  byTest(el, "hfew-new").click();
  assert.equal(model.sent.at(-1).type, "new_endpoint");
  assert.equal(byTest(el, "hfew-form-slot").hidden, false);

  cleanup();
  assert.equal(el.children.length, 0);
}

// Manager: the delete confirmation names the endpoints it deletes
{
  const manager = await load("manager.js");
  const model = fakeModel({
    namespace: "alice", selection: [], busy: "", error: "", notice: "", form: null,
    poll_interval_ms: 30000, last_refresh: null, total_price_per_hour: 0,
    _rules: { delete: ["*"] },
    endpoints: ["a", "b", "c", "d"].map((name) => row(name, "paused")),
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = await manager.render({ model, el });
  const confirmBox = byTest(el, "hfew-confirm");
  const input = byTest(el, "hfew-confirm-input");
  const yes = byTest(el, "hfew-confirm-delete");
  const type = (text) => {
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };

  model.python("selection", ["alice/a", "alice/b"]);
  byTest(el, "hfew-action-delete").click();
  assert.match(confirmBox.textContent, /Delete alice\/a, alice\/b\?.*Type “a, b”/);
  type("delete 2 endpoints");
  assert.ok(yes.disabled, "a count alone does not say which endpoints");
  type("a, b");
  assert.ok(!yes.disabled);
  model.python("selection", ["alice/c", "alice/d"]);
  assert.ok(confirmBox.hidden, "a new selection closes the confirmation");
  yes.click();
  assert.equal(model.sent.filter((m) => m.type === "action").length, 0);

  byTest(el, "hfew-action-delete").click();
  assert.equal(input.value, "");
  assert.match(confirmBox.textContent, /Type “c, d”/);
  type("c, d");
  // The names the box showed are sent, even if the selection moved meanwhile.
  model.get("selection").push("alice/a");
  yes.click();
  yes.click();
  const deletes = model.sent.filter((m) => m.type === "action");
  assert.equal(deletes.length, 1, "one click, one request");
  assert.deepEqual(deletes[0].names, ["alice/c", "alice/d"]);
  assert.equal(deletes[0].confirm, "c, d");
  cleanup();
}

// Manager: updates keep the rows, focus and "Copied"; only web links; any status
{
  const manager = await load("manager.js");
  const endpoints = [row("chat", "running"), row("embed", "running"),
    row("odd", "paused", { url: "javascript:alert(1)" })];
  const model = fakeModel({
    namespace: "alice", selection: [], busy: "", error: "", notice: "", form: null,
    poll_interval_ms: 30000, last_refresh: null, total_price_per_hour: 0,
    _rules: {}, endpoints,
  });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = await manager.render({ model, el });

  const odd = el.querySelector('[data-id="alice/odd"] .hfew-col-url');
  assert.equal(odd.querySelector("a"), null, "only http(s) URLs become links");
  assert.equal(odd.textContent.includes("javascript:alert(1)"), true);
  const link = el.querySelector('[data-id="alice/chat"] a.hfew-url');
  assert.equal(link.getAttribute("href"), "https://chat.example");

  const box = el.querySelector('input[data-id="alice/embed"]');
  box.focus();
  assert.equal(document.activeElement, box);
  const copy = el.querySelector('[data-id="alice/chat"] button.hfew-copy');
  copy.textContent = "Copied";
  model.python("endpoints", [row("chat", "running"),
    row("embed", "updating", { url: "https://embed.example" }), endpoints[2]]);
  assert.equal(el.querySelector('[data-id="alice/embed"] [data-status]').dataset.status,
    "updating");
  assert.equal(document.activeElement, box, "focus stays on the checkbox");
  assert.equal(el.querySelector('[data-id="alice/chat"] button.hfew-copy'), copy);
  assert.equal(copy.textContent, "Copied");

  const statusFilter = byTest(el, "hfew-status-filter");
  model.python("endpoints", [...model.get("endpoints"), row("new", "migrating")]);
  const options = [...statusFilter.options].map((o) => o.value);
  assert.ok(options.includes("migrating") && options.includes("running"));
  statusFilter.value = "migrating";
  statusFilter.dispatchEvent(new Event("change", { bubbles: true }));
  const shown = [...el.querySelectorAll('[data-testid="hfew-row"]')];
  assert.deepEqual(shown.map((r) => r.dataset.id), ["alice/new"]);
  model.python("endpoints", endpoints);
  assert.equal(statusFilter.value, "migrating", "the chosen status stays chosen");
  cleanup();
}

// Badge
{
  const badge = await load("badge.js");
  const model = fakeModel({
    name: "chat", namespace: "alice", status: "initializing", message: "<i>warming</i>",
    ready_replica: 0, target_replica: 1, error: "", poll_interval_ms: 2000,
  });
  const el = document.createElement("div");
  const cleanup = await badge.render({ model, el });
  const status = byTest(el, "hfew-badge-status");
  assert.ok(status.classList.contains("hfew-status--moving"));
  assert.equal(status.textContent, "initializing");
  assert.equal(el.querySelector("i"), null);
  model.python("status", "running");
  assert.ok(status.classList.contains("hfew-status--success"));
  assert.ok(!status.classList.contains("hfew-status--moving"));
  cleanup();
}

// Form
{
  const form = await load("forms.js");
  const model = fakeModel({
    namespace: "alice", hardware: [], catalog_state: "", busy: "", created: "",
    error: "", notice: "", field_errors: {}, tasks: ["text-generation"],
    frameworks: ["pytorch"], types: ["public", "authenticated", "private"],
    _name_rule: { pattern: "^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", max_length: 32 },
  });
  const el = document.createElement("div");
  const cleanup = await form.render({ model, el });
  assert.deepEqual(model.sent[0], { type: "catalog" });
  model.python("hardware", [{ id: "aws-l4", vendor: "aws", region: "us-east-1",
    accelerator: "gpu", instance_type: "nvidia-l4", instance_size: "x1",
    architecture: "Nvidia L4", num_accelerators: 1, memory_gb: 30, gpu_memory_gb: 24,
    price_per_hour: 0.8, status: "available" }]);
  model.python("catalog_state", "ready");
  const instance = byTest(el, "hfew-field-instance");
  assert.match(instance.options[0].textContent, /\$0\.80\/h/);

  const name = byTest(el, "hfew-field-name");
  name.value = "Bad Name";
  name.dispatchEvent(new Event("input", { bubbles: true }));
  assert.equal(name.getAttribute("aria-invalid"), "true");
  assert.ok(byTest(el, "hfew-create").disabled);
  const nameHint = el.querySelector(`#${name.getAttribute("aria-describedby")}`);
  assert.equal(nameHint.textContent, "Only lowercase letters, digits and '-'.");
  name.value = "bad-";
  name.dispatchEvent(new Event("input", { bubbles: true }));
  assert.equal(nameHint.textContent, "Must start and end with a letter or digit.");
  name.value = "good-name";
  name.dispatchEvent(new Event("input", { bubbles: true }));
  byTest(el, "hfew-field-repository").value = "gpt2";
  assert.ok(!byTest(el, "hfew-create").disabled);
  el.querySelector("form").dispatchEvent(new Event("submit", { cancelable: true }));
  const create = model.sent.at(-1);
  assert.equal(create.type, "create");
  assert.equal(create.spec.name, "good-name");
  assert.equal(create.spec.instance_type, "nvidia-l4");
  assert.equal(create.spec.type, "authenticated");
  cleanup();
}

// Update form: sends only what changed; server text stays text
{
  const update = await load("forms.js");
  const model = fakeModel({
    _kind: "update", endpoint: row("chat-llm", "running", { revision: "11c5a3d5",
      scale_to_zero_timeout: null, repository: "<img src=x onerror=alert(1)>" }),
    hardware: [], catalog_state: "", busy: "", error: "", notice: "", field_errors: {},
  });
  const el = document.createElement("div");
  const cleanup = await update.render({ model, el });
  assert.deepEqual(model.sent[0], { type: "catalog" });
  assert.equal(el.querySelector("img"), null);
  const apply = byTest(el, "hfew-update-apply");
  assert.ok(apply.disabled, "nothing changed yet");
  model.python("hardware", [
    { id: "aws-cpu", vendor: "aws", region: "us-east-1", accelerator: "cpu",
      instance_type: "intel-icl", instance_size: "x2", architecture: "Intel",
      num_accelerators: 1, memory_gb: 4, gpu_memory_gb: null, price_per_hour: 0.067,
      status: "available" },
    { id: "aws-l4", vendor: "aws", region: "us-east-1", accelerator: "gpu",
      instance_type: "nvidia-l4", instance_size: "x1", architecture: "Nvidia L4",
      num_accelerators: 1, memory_gb: 30, gpu_memory_gb: 24, price_per_hour: 0.8,
      status: "available" }]);
  const instance = byTest(el, "hfew-update-instance");
  assert.equal(instance.value, "nvidia-l4|x1");
  assert.match(instance.options[0].textContent, /intel-icl · x2 .* \$0\.07\/h/);

  const max = byTest(el, "hfew-update-max_replica");
  assert.equal(max.value, "1");
  max.value = "3";
  max.dispatchEvent(new Event("input", { bubbles: true }));
  assert.ok(!apply.disabled);
  assert.equal(byTest(el, "hfew-update-changes").textContent,
    "Will send: max_replica = 3");
  el.querySelector("form").dispatchEvent(new Event("submit", { cancelable: true }));
  const sent = model.sent.at(-1);
  assert.equal(sent.type, "update");
  assert.deepEqual(sent.changes, { max_replica: "3" });

  model.python("field_errors", { max_replica: "must be at least min replicas" });
  assert.equal(max.getAttribute("aria-invalid"), "true");
  model.python("endpoint", { ...model.get("endpoint"), max_replica: 3 });
  assert.equal(max.value, "3");
  assert.ok(apply.disabled, "the form shows the new current values");
  byTest(el, "hfew-update-reset").click();
  cleanup();
  assert.equal(el.children.length, 0);
}

dom.window.close();
console.log("dom smoke: ok");
