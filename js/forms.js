// @ts-check
// The creation and update forms: one module, so that they share their building
// blocks (anywidget loads each module alone, from a blob URL, without imports).
/** @typedef {import("./types").RenderContext} RenderContext */
/** @typedef {import("./types").Model} Model */
/** @typedef {import("./types").HardwareRow} HardwareRow */
/** @typedef {import("./types").Row} Row */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Field */

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

/** @param {unknown} value */
const text = (value) => (value == null ? "" : String(value));

/** @param {HardwareRow} row */
function computeLabel(row) {
  const memory = row.gpu_memory_gb
    ? `${row.gpu_memory_gb} GB GPU`
    : `${row.memory_gb ?? "?"} GB`;
  const price =
    row.price_per_hour == null
      ? "price unknown"
      : `${money.format(row.price_per_hour)}/h`;
  const many = row.num_accelerators && row.num_accelerators > 1;
  const count = many ? `${row.num_accelerators}× ` : "";
  const kind = `${count}${row.architecture || row.accelerator}`;
  return `${row.instance_type} · ${row.instance_size} — ${kind}` +
    `, ${memory} — ${price}`;
}

/** @param {HTMLSelectElement} select @param {string[][]} options */
function fill(select, options) {
  const before = select.value;
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  if (options.some(([value]) => value === before)) select.value = before;
}

/**
 * The frame both forms share: title, dismissible error, notice, a grid of
 * labelled fields with a hint each, and a row of buttons.
 *
 * @param {Model} model
 * @param {string} kind "form" (creation) or "update": class and test ids.
 */
function shell(model, kind) {
  const prefix = `hfew-${kind}-${(formCount += 1)}`;
  const root = h("form", `hfew-root hfew-form hfew-${kind}`);
  root.dataset.testid = `hfew-${kind}`;
  root.noValidate = true;
  const title = h("h3", "hfew-title");
  const alert = h("div", "hfew-alert");
  alert.setAttribute("role", "alert");
  alert.dataset.testid = `hfew-${kind}-error`;
  const alertText = h("span", "hfew-alert-text");
  const dismiss = h("button", "hfew-button hfew-button--quiet", "Dismiss");
  dismiss.type = "button";
  alert.append(alertText, dismiss);
  const notice = h("div", "hfew-notice");
  notice.setAttribute("role", "status");
  notice.dataset.testid = `hfew-${kind}-notice`;
  const grid = h("div", "hfew-form-grid");
  const buttons = h("div", "hfew-form-buttons");
  root.append(title, alert, notice, grid);
  const fieldIds = kind === "form" ? "field" : "update";

  /** @type {Record<string, Field>} */
  const fields = {};
  /** @type {Record<string, HTMLElement>} */
  const hints = {};
  /**
   * @param {string} name
   * @param {string} label
   * @param {string} tag
   * @param {Record<string, string>} [attrs]
   */
  function field(name, label, tag, attrs = {}) {
    const wrap = h("div", `hfew-field hfew-field-${name}`);
    const input = h(tag, "hfew-input");
    input.id = `${prefix}-${name}`;
    input.name = name;
    input.dataset.testid = `hfew-${fieldIds}-${name}`;
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
    return input;
  }
  /**
   * A button in the form's button row; its test id is ``hfew-`` + ``id``.
   * @param {string} label @param {string} type @param {string} id @param {string} cls
   */
  function action(label, type, id, cls) {
    const node = h("button", `hfew-button ${cls}`, label);
    node.type = type;
    node.dataset.testid = `hfew-${id}`;
    buttons.append(node);
    return node;
  }
  /** Show the error and the notice; mark the form busy. */
  function messages() {
    alertText.textContent = model.get("error") || "";
    alert.hidden = !alertText.textContent;
    notice.textContent = model.get("notice") || "";
    notice.hidden = !notice.textContent;
    root.setAttribute("aria-busy", model.get("busy") ? "true" : "false");
  }
  /** @param {string} name @param {string} problem */
  function flag(name, problem) {
    hints[name].textContent = problem;
    fields[name].setAttribute("aria-invalid", problem ? "true" : "false");
  }
  return {
    root, title, dismiss, buttons, fields, hints, field, action, messages, flag,
  };
}

/** @param {RenderContext} context The creation form. */
function renderCreate({ model, el }) {
  const controller = new AbortController();
  const signal = controller.signal;
  const form = shell(model, "form");
  const { root, title, dismiss, buttons, fields, hints, field, action } = form;
  const { messages, flag } = form;

  field("name", "Name", "input", { autocomplete: "off", spellcheck: "false" });
  field("repository", "Repository", "input", {
    placeholder: "org/model",
    spellcheck: "false",
  });
  field("revision", "Revision (optional)", "input", { spellcheck: "false" });
  field("task", "Task", "select");
  field("framework", "Framework", "select");
  field("vendor", "Vendor", "select");
  field("region", "Region", "select");
  field("instance", "Instance", "select");
  const replicas = (/** @type {string} */ min) => ({ type: "number", min, value: "1" });
  field("min_replica", "Min replicas", "input", replicas("0"));
  field("max_replica", "Max replicas", "input", replicas("1"));
  field("scale_to_zero_timeout", "Scale to zero after (minutes, empty: never)", "input",
    { type: "number", min: "1" });
  field("type", "Type", "select");
  field("env", "Environment (KEY=VALUE per line)", "textarea", {
    rows: "3",
    spellcheck: "false",
  });
  const submit = action("Create endpoint", "submit", "create",
    "hfew-button--primary");
  const reload = action("Reload catalog", "button", "reload-catalog",
    "hfew-button--quiet");
  root.append(buttons);
  el.append(root);

  /** @returns {HardwareRow[]} */
  const catalog = () => model.get("hardware") || [];
  const value = (/** @type {string} */ name) => fields[name].value.trim();

  function nameProblem() {
    const rule = model.get("_name_rule");
    const name = value("name");
    if (!name) return "Required.";
    if (name.length > rule.max_length) return `At most ${rule.max_length} characters.`;
    if (new RegExp(rule.pattern).test(name)) return "";
    if (/^[a-z0-9-]+$/.test(name)) return "Must start and end with a letter or digit.";
    return "Only lowercase letters, digits and '-'.";
  }
  function scaleProblem() {
    const timeout = value("scale_to_zero_timeout");
    if (timeout && Number(timeout) > 0 && Number(value("min_replica")) !== 0) {
      return "Scale to zero needs min replicas 0.";
    }
    return "";
  }
  function showProblems() {
    /** @type {Record<string, string>} */
    const problems = { ...(model.get("field_errors") || {}) };
    if (problems.instance_type) problems.instance = problems.instance_type;
    const local = { name: nameProblem(), scale_to_zero_timeout: scaleProblem() };
    for (const name of Object.keys(fields)) {
      const own = touched.has(name) && local[/** @type {"name"} */ (name)];
      flag(name, own || problems[name] || "");
    }
    const row = selectedCompute();
    if (!hints.instance.textContent && row) {
      hints.instance.textContent = computeLabel(row);
    }
    const invalid = Boolean(nameProblem() || scaleProblem());
    submit.disabled = Boolean(model.get("busy")) || invalid;
  }

  function selectedCompute() {
    return catalog().find((row) => row.id === fields.instance.value);
  }
  function fillPickers() {
    const rows = catalog();
    const state = model.get("catalog_state");
    const vendors = [...new Set(rows.map((row) => row.vendor))];
    fill(/** @type {HTMLSelectElement} */ (fields.vendor), vendors.map((v) => [v, v]));
    const inVendor = rows.filter((r) => r.vendor === value("vendor"));
    const regions = [...new Set(inVendor.map((r) => r.region))];
    fill(/** @type {HTMLSelectElement} */ (fields.region), regions.map((r) => [r, r]));
    const computes = rows
      .filter((r) => r.vendor === value("vendor") && r.region === value("region"))
      .sort((a, b) => (a.price_per_hour ?? 1e9) - (b.price_per_hour ?? 1e9));
    const choices = computes.map((r) => [r.id, computeLabel(r)]);
    fill(/** @type {HTMLSelectElement} */ (fields.instance), choices);
    reload.hidden = state !== "failed";
    hints.vendor.textContent = state === "loading" ? "Loading the hardware catalog…"
      : state === "ready" && rows.length === 0
        ? "No hardware available in this namespace."
        : "";
    showProblems();
  }
  function fillChoices() {
    const blank = [["", "(none)"]];
    const tasks = (model.get("tasks") || []).map((/** @type {string} */ t) => [t, t]);
    fill(/** @type {HTMLSelectElement} */ (fields.task), [...blank, ...tasks]);
    const frameworks = (model.get("frameworks") || []).map(
      (/** @type {string} */ f) => [f, f],
    );
    fill(/** @type {HTMLSelectElement} */ (fields.framework), frameworks);
    const types = (model.get("types") || []).map((/** @type {string} */ t) => [t, t]);
    fill(/** @type {HTMLSelectElement} */ (fields.type), types);
    if (!fields.type.dataset.ready) {
      fields.type.value = "authenticated";
      fields.type.dataset.ready = "1";
    }
  }
  function renderStatus() {
    title.textContent = `New endpoint in ${model.get("namespace")}`;
    messages();
    submit.textContent = model.get("busy") ? "Creating…" : "Create endpoint";
    showProblems();
  }

  const touched = new Set();
  root.addEventListener("input", (/** @type {Event} */ event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    touched.add(target.name);
    if (target.name === "vendor" || target.name === "region") fillPickers();
    showProblems();
  }, { signal });
  root.addEventListener("change", (/** @type {Event} */ event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.name === "vendor" || target.name === "region") fillPickers();
    showProblems();
  }, { signal });
  root.addEventListener("submit", (/** @type {Event} */ event) => {
    event.preventDefault();
    for (const name of Object.keys(fields)) touched.add(name);
    showProblems();
    if (submit.disabled) return;
    const row = selectedCompute();
    const spec = {
      name: value("name"), repository: value("repository"), revision: value("revision"),
      task: value("task"), framework: value("framework"), vendor: value("vendor"),
      region: value("region"), instance_type: row?.instance_type ?? "",
      instance_size: row?.instance_size ?? "", accelerator: row?.accelerator ?? "",
      min_replica: value("min_replica"), max_replica: value("max_replica"),
      scale_to_zero_timeout: value("scale_to_zero_timeout"), type: value("type"),
      env: fields.env.value,
    };
    submit.disabled = true;
    model.send({ type: "create", spec, request: `${Date.now()}-${Math.random()}` });
  }, { signal });
  const reloadCatalog = () => model.send({ type: "catalog", refresh: true });
  reload.addEventListener("click", reloadCatalog, { signal });
  dismiss.addEventListener("click", () => model.send({ type: "dismiss" }), { signal });

  const statusEvents =
    "change:error change:notice change:busy change:field_errors change:namespace";
  model.on(statusEvents, renderStatus);
  model.on("change:hardware change:catalog_state", fillPickers);
  model.on("change:tasks change:frameworks change:types", fillChoices);
  fillChoices();
  fillPickers();
  renderStatus();
  if (!model.get("catalog_state")) model.send({ type: "catalog" });

  return () => {
    controller.abort();
    model.off(statusEvents, renderStatus);
    model.off("change:hardware change:catalog_state", fillPickers);
    model.off("change:tasks change:frameworks change:types", fillChoices);
    root.remove();
  };
}

/** @param {RenderContext} context The update form of one endpoint. */
function renderUpdate({ model, el }) {
  const controller = new AbortController();
  const signal = controller.signal;
  const { root, title, dismiss, buttons, fields, field, action, messages, flag } =
    shell(model, "update");

  field("repository", "Repository", "input", { spellcheck: "false" });
  field("revision", "Revision (empty: unchanged)", "input", { spellcheck: "false" });
  field("instance", "Instance", "select");
  field("min_replica", "Min replicas", "input", { type: "number", min: "0" });
  field("max_replica", "Max replicas", "input", { type: "number", min: "1" });
  field("scale_to_zero_timeout", "Scale to zero after (minutes)", "input",
    { type: "number", min: "1", placeholder: "never" });
  const changes = h("p", "hfew-muted hfew-update-changes");
  changes.dataset.testid = "hfew-update-changes";
  const submit = action("Apply update", "submit", "update-apply",
    "hfew-button--primary");
  const reset = action("Reset", "button", "update-reset", "");
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
      flag(name, problems[name === "instance" ? "instance_type" : name] || "");
    }
    submit.disabled = Boolean(model.get("busy")) || names.length === 0;
  }

  function renderStatus() {
    title.textContent = `Update ${endpoint().id || ""}`;
    messages();
    submit.textContent = model.get("busy") ? "Updating…" : "Apply update";
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

/** @param {RenderContext} context */
function render(context) {
  return context.model.get("_kind") === "update"
    ? renderUpdate(context)
    : renderCreate(context);
}

export default { render };
