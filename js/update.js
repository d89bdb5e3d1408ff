// @ts-check
/** @typedef {import("./types").RenderContext} RenderContext */
/** @typedef {import("./types").HardwareRow} HardwareRow */
/** @typedef {import("./types").Row} Row */

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const NUMBERS = ["min_replica", "max_replica", "scale_to_zero_timeout"];
let formCount = 0;

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {any}
 */
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {HardwareRow} row */
function computeLabel(row) {
  const price = row.price_per_hour == null ? "price unknown"
    : `${money.format(row.price_per_hour)}/h`;
  const kind = row.architecture || row.accelerator;
  return `${row.instance_type} · ${row.instance_size} — ${kind} — ${price}`;
}

/** @param {unknown} value */
const text = (value) => (value == null ? "" : String(value));

/** @param {RenderContext} context */
function render({ model, el }) {
  const controller = new AbortController();
  const signal = controller.signal;
  const prefix = `hfew-update-${(formCount += 1)}`;
  const root = h("form", "hfew-root hfew-form hfew-update");
  root.dataset.testid = "hfew-update";
  root.noValidate = true;
  const title = h("h3", "hfew-title");
  const alert = h("div", "hfew-alert");
  alert.setAttribute("role", "alert");
  alert.dataset.testid = "hfew-update-error";
  const alertText = h("span", "hfew-alert-text");
  const dismiss = h("button", "hfew-button hfew-button--quiet", "Dismiss");
  dismiss.type = "button";
  alert.append(alertText, dismiss);
  const notice = h("div", "hfew-notice");
  notice.setAttribute("role", "status");
  notice.dataset.testid = "hfew-update-notice";
  const grid = h("div", "hfew-form-grid");
  root.append(title, alert, notice, grid);

  /** @type {Record<string, HTMLInputElement | HTMLSelectElement>} */
  const fields = {};
  /** @type {Record<string, HTMLElement>} */
  const hints = {};
  /** @param {string} name @param {string} label @param {string} tag */
  function field(name, label, tag, attrs = {}) {
    const wrap = h("div", `hfew-field hfew-field-${name}`);
    const input = h(tag, "hfew-input");
    input.id = `${prefix}-${name}`;
    input.name = name;
    input.dataset.testid = `hfew-update-${name}`;
    for (const [key, value] of Object.entries(attrs)) input.setAttribute(key, value);
    const labelNode = h("label", "hfew-label", label);
    labelNode.htmlFor = input.id;
    const hint = h("div", "hfew-field-hint");
    hint.id = `${input.id}-hint`;
    input.setAttribute("aria-describedby", hint.id);
    wrap.append(labelNode, input, hint);
    grid.append(wrap);
    fields[name] = input;
    hints[name] = hint;
  }
  field("repository", "Repository", "input", { spellcheck: "false" });
  field("revision", "Revision (empty: unchanged)", "input", { spellcheck: "false" });
  field("instance", "Instance", "select");
  field("min_replica", "Min replicas", "input", { type: "number", min: "0" });
  field("max_replica", "Max replicas", "input", { type: "number", min: "1" });
  field("scale_to_zero_timeout", "Scale to zero after (minutes)", "input",
    { type: "number", min: "1", placeholder: "never" });
  const changes = h("p", "hfew-muted hfew-update-changes");
  changes.dataset.testid = "hfew-update-changes";
  const submit = h("button", "hfew-button hfew-button--primary", "Apply update");
  submit.type = "submit";
  submit.dataset.testid = "hfew-update-apply";
  const reset = h("button", "hfew-button", "Reset");
  reset.type = "button";
  reset.dataset.testid = "hfew-update-reset";
  const buttons = h("div", "hfew-form-buttons");
  buttons.append(submit, reset);
  root.append(changes, buttons);
  el.append(root);

  /** @returns {Row} */
  const endpoint = () => model.get("endpoint") || {};
  /** @returns {HardwareRow[]} */
  const catalog = () => model.get("hardware") || [];
  const value = (/** @type {string} */ name) => fields[name].value.trim();
  const instanceOf = (/** @type {Row | HardwareRow} */ row) =>
    `${row.instance_type || ""}|${row.instance_size || ""}`;

  function fillInstances() {
    const current = endpoint();
    const before = value("instance") || instanceOf(current);
    /** @type {string[][]} */
    const choices = catalog()
      .slice()
      .sort((a, b) => (a.price_per_hour ?? 1e9) - (b.price_per_hour ?? 1e9))
      .map((row) => [instanceOf(row), computeLabel(row)]);
    if (!choices.some(([key]) => key === instanceOf(current))) {
      const label = `${current.instance_type} · ${current.instance_size} (current)`;
      choices.unshift([instanceOf(current), label]);
    }
    const select = /** @type {HTMLSelectElement} */ (fields.instance);
    select.replaceChildren(...choices.map(([key, label]) => new Option(label, key)));
    select.value = choices.some(([key]) => key === before) ? before
      : instanceOf(current);
    showChanges();
  }

  function resetFields() {
    const current = endpoint();
    fields.repository.value = text(current.repository);
    fields.revision.value = "";
    const revision = /** @type {HTMLInputElement} */ (fields.revision);
    revision.placeholder = text(current.revision);
    for (const name of NUMBERS) fields[name].value = text(current[name]);
    fillInstances();
  }

  /** @returns {Record<string, string>} */
  function changed() {
    const current = endpoint();
    /** @type {Record<string, string>} */
    const out = {};
    if (value("repository") !== text(current.repository)) {
      out.repository = value("repository");
    }
    if (value("revision") && value("revision") !== text(current.revision)) {
      out.revision = value("revision");
    }
    if (value("instance") && value("instance") !== instanceOf(current)) {
      const [type, size] = value("instance").split("|");
      Object.assign(out, { instance_type: type, instance_size: size });
    }
    for (const name of NUMBERS) {
      const before = text(current[name]);
      if (value(name) !== before) out[name] = value(name);
    }
    return out;
  }

  function showChanges() {
    const diff = changed();
    const names = Object.keys(diff);
    changes.textContent = names.length
      ? `Will send: ${names.map((name) => `${name} = ${diff[name]}`).join(", ")}`
      : "No changes yet.";
    /** @type {Record<string, string>} */
    const problems = model.get("field_errors") || {};
    for (const name of Object.keys(fields)) {
      const key = name === "instance" ? "instance_type" : name;
      hints[name].textContent = problems[key] || "";
      fields[name].setAttribute("aria-invalid", problems[key] ? "true" : "false");
    }
    submit.disabled = Boolean(model.get("busy")) || names.length === 0;
  }

  function renderStatus() {
    title.textContent = `Update ${endpoint().id || ""}`;
    alertText.textContent = model.get("error") || "";
    alert.hidden = !alertText.textContent;
    notice.textContent = model.get("notice") || "";
    notice.hidden = !notice.textContent;
    const busy = model.get("busy");
    submit.textContent = busy ? "Updating…" : "Apply update";
    root.setAttribute("aria-busy", busy ? "true" : "false");
    showChanges();
  }

  root.addEventListener("input", showChanges, { signal });
  root.addEventListener("change", showChanges, { signal });
  root.addEventListener("submit", (/** @type {Event} */ event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    const request = `${Date.now()}-${Math.random()}`;
    model.send({ type: "update", changes: changed(), request });
  }, { signal });
  reset.addEventListener("click", resetFields, { signal });
  dismiss.addEventListener("click", () => model.send({ type: "dismiss" }), { signal });

  const statusEvents = "change:error change:notice change:busy change:field_errors";
  model.on(statusEvents, renderStatus);
  const onEndpoint = () => { resetFields(); renderStatus(); };
  model.on("change:endpoint", onEndpoint);
  model.on("change:hardware", fillInstances);
  resetFields();
  renderStatus();
  if (!model.get("catalog_state")) model.send({ type: "catalog" });

  return () => {
    controller.abort();
    model.off(statusEvents, renderStatus);
    model.off("change:endpoint", onEndpoint);
    model.off("change:hardware", fillInstances);
    root.remove();
  };
}

export default { render };
