// @ts-check
/** @typedef {import("./types").RenderContext} RenderContext */
/** @typedef {import("./types").Model} Model */
/** @typedef {import("./types").Row} Row */

const PREFIX = "[hf-endpoint-widgets]";
const ORDER = [
  "pending", "initializing", "updating", "updateFailed",
  "running", "scaledToZero", "paused", "failed",
];
const KINDS = {
  running: "success", pending: "warn", initializing: "warn", updating: "warn",
  updateFailed: "error", failed: "error", paused: "neutral", scaledToZero: "info",
};
const MOVING = new Set(["pending", "initializing", "updating"]);
const ACTIONS = [
  ["pause", "Pause"], ["resume", "Resume"], ["scale_to_zero", "Scale to zero"],
  ["update", "Update…"], ["delete", "Delete…"],
];
const COLUMNS = [
  ["name", "Name"], ["status", "Status"], ["repository", "Repository"],
  ["instance", "Instance"], ["replicas", "Replicas"], ["price_per_hour", "Price / h"],
  ["url", "URL"], ["updated_at", "Updated"],
];
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

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

/** Give ``node`` a ``data-testid`` for tests. @param {string} testid @returns {any} */
function hook(testid, /** @type {HTMLElement} */ node) {
  node.dataset.testid = testid;
  return node;
}

/** @param {string} text @param {string} className @param {string} testid */
function button(text, className, testid) {
  const node = /** @type {HTMLButtonElement} */ (h("button", className, text));
  node.type = "button";
  return hook(testid, node);
}

/** @param {string | null} iso */
function ago(iso) {
  if (!iso) return "";
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** @param {string} status */
function statusNode(status) {
  const node = h("span", `hfew-status hfew-status--${KINDS[status] || "neutral"}`);
  node.classList.toggle("hfew-status--moving", MOVING.has(status));
  node.dataset.status = status;
  const dot = h("span", "hfew-status-dot");
  dot.setAttribute("aria-hidden", "true");
  node.append(dot, h("span", "hfew-status-word", status || "unknown"));
  return node;
}

/** @param {string} text */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", "hfew-offscreen");
    area.value = text;
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

/** @param {Row} row @param {string} key */
function sortValue(row, key) {
  if (key === "status") return ORDER.indexOf(row.status) + 1 || ORDER.length + 1;
  if (key === "instance") return `${row.instance_type} ${row.instance_size}`;
  if (key === "replicas") return row.ready_replica ?? -1;
  const value = row[key];
  return value == null ? "" : value;
}

/** @param {RenderContext} context */
function render({ model, el, host }) {
  const view = { sortKey: "name", sortDir: 1, pending: "" };
  const controller = new AbortController();
  const on = (/** @type {EventTarget} */ target, /** @type {string} */ type,
    /** @type {(event: any) => void} */ fn) =>
    target.addEventListener(type, fn, { signal: controller.signal });
  /** @type {(() => void)[]} Undo each model listener, only this view's. */
  const unlisten = [];
  const listen = (/** @type {string} */ events, /** @type {() => void} */ fn) => {
    model.on(events, fn);
    unlisten.push(() => model.off(events, fn));
  };

  // Skeleton
  const root = hook("hfew-manager", h("div", "hfew-root hfew-manager"));
  const header = h("div", "hfew-header");
  const title = h("h3", "hfew-title");
  const live = hook("hfew-live", h("span", "hfew-live"));
  header.append(title, live);
  const cost = hook("hfew-cost", h("div", "hfew-cost"));
  const alert = hook("hfew-error", h("div", "hfew-alert"));
  alert.setAttribute("role", "alert");
  const alertText = h("span", "hfew-alert-text");
  const dismiss = button("Dismiss", "hfew-button hfew-button--quiet", "hfew-dismiss");
  alert.append(alertText, dismiss);
  const notice = hook("hfew-notice", h("div", "hfew-notice"));
  notice.setAttribute("role", "status");

  const toolbar = h("div", "hfew-toolbar");
  const filter = hook("hfew-filter", h("input", "hfew-input hfew-filter"));
  Object.assign(filter, { type: "search", placeholder: "Filter endpoints" });
  filter.setAttribute("aria-label", "Filter endpoints by text");
  const statusFilter = hook("hfew-status-filter",
    h("select", "hfew-input hfew-status-filter"));
  statusFilter.setAttribute("aria-label", "Show only one status");
  const actions = h("div", "hfew-actions");
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", "Actions on the selected endpoints");
  /** @type {Record<string, HTMLButtonElement>} */
  const buttons = {};
  for (const [action, label] of ACTIONS) {
    const kind = action === "delete" ? "hfew-button--danger" : "";
    buttons[action] = button(label, `hfew-button ${kind}`, `hfew-action-${action}`);
    buttons[action].dataset.action = action;
    actions.append(buttons[action]);
  }
  const refresh = button("Refresh", "hfew-button", "hfew-refresh");
  const create = button("New endpoint", "hfew-button hfew-button--primary", "hfew-new");
  create.setAttribute("aria-expanded", "false");
  buttons.update.setAttribute("aria-expanded", "false");
  actions.append(refresh, create);
  toolbar.append(filter, statusFilter, actions);

  const confirm = hook("hfew-confirm", h("div", "hfew-confirm"));
  confirm.hidden = true;
  const confirmLabel = h("label", "hfew-confirm-label");
  const confirmInput = hook("hfew-confirm-input", h("input", "hfew-input"));
  confirmInput.autocomplete = "off";
  const danger = "hfew-button hfew-button--danger";
  const confirmYes = button("Delete", danger, "hfew-confirm-delete");
  const confirmNo = button("Cancel", "hfew-button", "hfew-confirm-cancel");
  const confirmText = h("span", "hfew-confirm-text");
  confirmLabel.append(confirmText, confirmInput);
  confirm.append(confirmLabel, confirmYes, confirmNo);

  const scroller = h("div", "hfew-table-scroll");
  const table = hook("hfew-table", h("table", "hfew-table"));
  const headRow = h("tr");
  const allBox = hook("hfew-select-all", h("input", "hfew-check"));
  allBox.type = "checkbox";
  allBox.setAttribute("aria-label", "Select all shown endpoints");
  const allCell = h("th", "hfew-col-check");
  allCell.append(allBox);
  headRow.append(allCell);
  /** @type {Record<string, HTMLTableCellElement>} */
  const heads = {};
  for (const [key, label] of COLUMNS) {
    const th = h("th", `hfew-col-${key}`);
    th.scope = "col";
    if (key === "url") th.textContent = label;
    else {
      const sort = button(label, "hfew-sort", `hfew-sort-${key}`);
      sort.dataset.key = key;
      th.append(sort);
    }
    heads[key] = th;
    headRow.append(th);
  }
  const thead = h("thead");
  thead.append(headRow);
  const tbody = h("tbody");
  table.append(thead, tbody);
  scroller.append(table);
  const empty = hook("hfew-empty", h("p", "hfew-empty"));
  const slot = (/** @type {string} */ testid) => {
    const node = hook(testid, h("div", "hfew-form-slot"));
    node.hidden = true;
    return node;
  };
  const editSlot = slot("hfew-edit-slot");
  const formSlot = slot("hfew-form-slot");
  root.append(header, cost, alert, notice, toolbar, confirm, editSlot, scroller, empty,
    formSlot);
  el.append(root);

  // Reading state
  /** @returns {Row[]} */
  const rows = () => model.get("endpoints") || [];
  /** @returns {string[]} */
  const selection = () => model.get("selection") || [];
  const busy = () => model.get("busy") || view.pending;
  const selectedRows = () => rows().filter((row) => selection().includes(row.id));
  const visibleRows = () => {
    const needle = filter.value.trim().toLowerCase();
    const only = statusFilter.value;
    const shown = rows().filter((row) => {
      if (only && row.status !== only) return false;
      if (!needle) return true;
      const text = [row.id, row.status, row.repository, row.task, row.instance_type,
        row.vendor, row.region, row.message].join(" ").toLowerCase();
      return text.includes(needle);
    });
    return shown.sort((a, b) => {
      const x = sortValue(a, view.sortKey);
      const y = sortValue(b, view.sortKey);
      return (x < y ? -1 : x > y ? 1 : 0) * view.sortDir;
    });
  };

  /** @param {string[]} ids */
  function setSelection(ids) {
    model.set("selection", ids);
    model.save_changes();
  }

  /** @param {Row} row */
  function rowNode(row) {
    const tr = hook("hfew-row", h("tr", "hfew-row"));
    tr.dataset.id = row.id;
    const box = h("input", "hfew-check");
    box.type = "checkbox";
    box.dataset.id = row.id;
    box.setAttribute("aria-label", `Select ${row.id}`);
    const check = h("td", "hfew-col-check");
    check.append(box);
    const name = h("td", "hfew-col-name");
    name.append(h("span", "hfew-name", row.name),
      h("span", "hfew-muted", row.namespace));
    const status = h("td", "hfew-col-status");
    status.append(statusNode(row.status));
    status.title = row.message || "";
    const repo = h("td", "hfew-col-repository", row.repository || "");
    repo.title = row.task || "";
    const where = `${row.vendor || ""} ${row.region || ""}`.trim();
    const instance = h("td", "hfew-col-instance");
    instance.append(
      h("span", "", `${row.instance_type || "?"} · ${row.instance_size || "?"}`),
      h("span", "hfew-muted", where));
    const scale = `min ${row.min_replica ?? "?"} · max ${row.max_replica ?? "?"}`;
    const replicas = h("td", "hfew-col-replicas");
    replicas.append(
      h("span", "", `${row.ready_replica ?? 0}/${row.target_replica ?? 0}`),
      h("span", "hfew-muted", scale));
    const price = row.price_per_hour == null ? "—" : money.format(row.price_per_hour);
    const cells = [check, name, status, repo, instance, replicas,
      h("td", "hfew-col-price_per_hour hfew-num", price)];
    const url = h("td", "hfew-col-url");
    if (row.url) {
      const web = /^https?:\/\//i.test(row.url);  // never a javascript: link
      const text = row.url.replace(/^https?:\/\//i, "");
      const link = h(web ? "a" : "span", "hfew-url", text);
      link.title = row.url;
      if (web) Object.assign(link, {
        href: row.url, target: "_blank", rel: "noopener noreferrer",
      });
      const quiet = "hfew-button hfew-button--quiet hfew-copy";
      const copy = button("Copy", quiet, "hfew-copy");
      copy.dataset.url = row.url;
      copy.setAttribute("aria-label", `Copy the URL of ${row.id}`);
      url.append(link, copy);
    }
    const updated = h("td", "hfew-col-updated_at hfew-ago", ago(row.updated_at));
    updated.dataset.iso = row.updated_at || "";
    updated.title = row.updated_at || "";
    tr.append(...cells, url, updated);
    for (const cell of tr.cells) built.set(cell, cell.outerHTML);
    return tr;
  }

  // Rows are patched in place, so focus and a "Copied" survive each update.
  /** @type {WeakMap<Element, string>} Each cell's markup when it was built. */
  const built = new WeakMap();
  /** @type {Map<string, HTMLTableRowElement>} The rows on show, by endpoint id. */
  const shownRows = new Map();
  /** @param {HTMLTableRowElement} tr @param {Row} row */
  function patchRow(tr, row) {
    [...rowNode(row).cells].forEach((cell, i) => {
      if (built.get(tr.cells[i]) !== built.get(cell)) tr.cells[i].replaceWith(cell);
    });
    return tr;
  }
  /** @param {Row[]} shown @param {Set<string>} chosen */
  function placeRows(shown, chosen) {
    const focused = /** @type {HTMLElement | null} */ (document.activeElement);
    const ids = new Set(shown.map((row) => row.id));
    for (const [id, tr] of shownRows) {
      if (ids.has(id)) continue;
      tr.remove();
      shownRows.delete(id);
    }
    shown.forEach((row, index) => {
      const old = shownRows.get(row.id);
      const tr = old ? patchRow(old, row) : rowNode(row);
      shownRows.set(row.id, tr);
      const box = /** @type {HTMLInputElement} */ (tr.cells[0].firstChild);
      box.checked = chosen.has(row.id);
      tr.classList.toggle("hfew-row--selected", box.checked);
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index]);
    });
    if (focused?.isConnected && tbody.contains(focused)) focused.focus();
  }
  /** Known statuses first, then any other a row has, so each can be chosen. */
  function renderStatusOptions() {
    const present = rows().map((row) => row.status).sort();
    const only = statusFilter.value;
    const statuses = [...new Set([...ORDER, ...present, only])].filter(Boolean);
    const options = [...statusFilter.options].slice(1).map((o) => o.value);
    if (options.join() === statuses.join()) return;
    statusFilter.replaceChildren(new Option("All statuses", ""),
      ...statuses.map((status) => new Option(status, status)));
    statusFilter.value = only;
  }

  function renderTable() {
    const shown = visibleRows();
    const chosen = new Set(selection());
    placeRows(shown, chosen);
    renderStatusOptions();
    const picked = shown.filter((row) => chosen.has(row.id)).length;
    allBox.checked = shown.length > 0 && picked === shown.length;
    allBox.indeterminate = picked > 0 && picked < shown.length;
    const direction = view.sortDir > 0 ? "ascending" : "descending";
    for (const [key] of COLUMNS) {
      const sort = view.sortKey === key ? direction : "none";
      if (key !== "url") heads[key].setAttribute("aria-sort", sort);
    }
    empty.hidden = shown.length > 0;
    empty.textContent = rows().length ? "No endpoint matches the filters."
      : `No endpoints in ${model.get("namespace")} yet. ` +
        "Create one with “New endpoint”.";
  }

  function renderActions() {
    const rules = model.get("_rules") || {};
    const chosen = selectedRows();
    const inFlight = busy();
    for (const [action, label] of ACTIONS) {
      const accepted = rules[action] || [];
      const count = action === "update" ? chosen.length === 1 : chosen.length > 0;
      const ok = count && chosen.every(
        (row) => accepted.includes("*") || accepted.includes(row.status));
      buttons[action].disabled = Boolean(inFlight) || !ok;
      const working = `${label.replace("…", "")}…`;
      buttons[action].textContent = inFlight === action ? working : label;
    }
    refresh.disabled = Boolean(inFlight);
    root.setAttribute("aria-busy", inFlight ? "true" : "false");
  }

  function renderStatus() {
    title.textContent = `Inference Endpoints · ${model.get("namespace")}`;
    const every = Math.round((model.get("poll_interval_ms") || 0) / 1000);
    const changed = ago(model.get("last_refresh") || null);
    const last = changed ? ` · last change ${changed}` : "";
    live.textContent = `Checked every ${every} s${last}`;
    const burn = model.get("total_price_per_hour") || 0;
    const running = rows().filter((row) => row.status === "running").length;
    cost.textContent = `Running now: ${money.format(burn)}/h across ${running} ` +
      `running endpoint${running === 1 ? "" : "s"} (price × ready replicas).`;
    const error = model.get("error") || "";
    alertText.textContent = error;
    alert.hidden = !error;
    notice.textContent = model.get("notice") || "";
    notice.hidden = !notice.textContent;
  }

  function renderAll() {
    renderTable();
    renderActions();
    renderStatus();
  }

  // Actions
  let requestId = 0;
  /** @param {object} message */
  function send(message) {
    requestId += 1;
    model.send({ ...message, request: `${Date.now()}-${requestId}` });
  }
  /** @type {string[]} The endpoints the open confirmation names. */
  let confirming = [];
  /** What to type to delete ``ids``: their names (ids if two share a name). */
  function phrase(ids = confirming) {
    const names = ids.map((id) => id.split("/").pop() || "");
    return (new Set(names).size < names.length ? ids : names).join(", ");
  }
  /** @param {string} action */
  function runAction(action) {
    if (busy()) return;
    if (action === "update") {
      const open = editSlot.hidden;
      editSlot.hidden = !open;
      buttons.update.setAttribute("aria-expanded", String(open));
      if (open) send({ type: "edit" });
      return;
    }
    if (action === "delete") {
      resetConfirm();
      confirming = [...selection()];
      confirm.hidden = false;
      confirmText.textContent = `Delete ${confirming.join(", ")}? ` +
        `This cannot be undone. Type “${phrase()}” to confirm: `;
      confirmInput.focus();
      return;
    }
    hold(action);
    send({ type: "action", action, names: selection() });
  }
  /** @param {string} action Disable the buttons until Python answers. */
  function hold(action) {
    view.pending = action;
    clearTimeout(pendingTimer);
    pendingTimer = window.setTimeout(settle, 20000);
    renderActions();
  }
  function resetConfirm() {
    confirm.hidden = true;
    confirming = [];
    confirmInput.value = "";
    confirmYes.disabled = true;
  }
  function closeConfirm() {
    resetConfirm();
    buttons.delete.focus();
  }
  /** A new selection closes a confirmation that names other endpoints. */
  function selectionMoved() {
    const now = selection();
    const same = now.length === confirming.length &&
      now.every((id) => confirming.includes(id));
    if (!confirm.hidden && !same) resetConfirm();
  }

  let pendingTimer = 0;
  function settle() {
    view.pending = "";
    renderAll();
  }
  listen("change:busy change:error change:notice", () => {
    clearTimeout(pendingTimer);
    settle();
  });
  listen("change:endpoints change:selection change:_rules", renderAll);
  listen("change:selection", () => {
    editSlot.hidden = true;
    buttons.update.setAttribute("aria-expanded", "false");
    selectionMoved();
  });
  listen("change:last_refresh change:total_price_per_hour change:namespace",
    renderStatus);
  listen("change:poll_interval_ms", () => { renderStatus(); schedule(); });

  on(actions, "click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const action = target.closest("button")?.dataset.action;
    if (action) runAction(action);
  });
  on(refresh, "click", () => send({ type: "refresh" }));
  on(dismiss, "click", () => send({ type: "dismiss" }));
  on(confirmInput, "input", () => {
    confirmYes.disabled = confirmInput.value !== phrase();
  });
  on(confirm, "keydown", (event) => { if (event.key === "Escape") closeConfirm(); });
  on(confirmNo, "click", closeConfirm);
  on(confirmYes, "click", () => {
    const names = confirming;
    const typed = confirmInput.value;
    if (!names.length || typed !== phrase(names) || busy()) return;
    resetConfirm();
    hold("delete");
    send({ type: "action", action: "delete", names, confirm: typed });
  });
  on(filter, "input", renderTable);
  on(statusFilter, "change", renderTable);
  on(thead, "click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const key = target.closest("button")?.dataset.key;
    if (!key) return;
    view.sortDir = view.sortKey === key ? -view.sortDir : 1;
    view.sortKey = key;
    renderTable();
  });
  on(allBox, "change", () => {
    const shown = visibleRows().map((row) => row.id);
    const rest = selection().filter((id) => !shown.includes(id));
    setSelection(allBox.checked ? [...rest, ...shown] : rest);
  });
  on(tbody, "change", (event) => {
    const box = /** @type {HTMLInputElement} */ (event.target);
    const id = box.dataset.id;
    if (!id) return;
    const rest = selection().filter((other) => other !== id);
    setSelection(box.checked ? [...rest, id] : rest);
  });
  on(tbody, "click", async (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const copy = /** @type {HTMLButtonElement | null} */ (
      target.closest("button.hfew-copy"));
    if (!copy) return;
    const ok = await copyText(copy.dataset.url || "");
    copy.textContent = ok ? "Copied" : "Copy failed";
    window.setTimeout(() => { copy.textContent = "Copy"; }, 1500);
  });

  // Embedded creation and update forms
  /**
   * @param {string} ref
   * @param {HTMLElement} into
   * @param {string} fallback What to run instead when the form cannot show here.
   */
  async function embedForm(ref, into, fallback) {
    const id = ref.replace(/^IPY_MODEL_/, "");
    into.replaceChildren();
    try {
      if (host && typeof host.getWidget === "function") {
        const child = await host.getWidget(`anywidget:${id}`);
        await child.render({ el: into, signal: controller.signal });
        return;
      }
      const child = await model.widget_manager.get_model(id);
      const childView = await model.widget_manager.create_view(child, {});
      into.append(childView.el);
      childView.trigger?.("displayed");
      on(controller.signal, "abort", () => childView.remove());
    } catch (error) {
      console.error(PREFIX, "could not show a form", error);
      into.textContent = `Could not show the form here: run ${fallback}.`;
    }
  }
  const showForm = () => {
    const ref = model.get("form");
    if (ref) embedForm(ref, formSlot, "manager.create_form()");
  };
  const showEditor = () => {
    const ref = model.get("editor");
    if (ref) embedForm(ref, editSlot, "manager.update_form()");
  };
  on(create, "click", () => {
    const open = formSlot.hidden;
    formSlot.hidden = !open;
    create.setAttribute("aria-expanded", String(open));
    if (open && !model.get("form")) send({ type: "new_endpoint" });
  });
  listen("change:form", showForm);
  listen("change:editor", showEditor);
  showForm();

  // Timers: pull while visible, refresh relative times
  let pullTimer = 0;
  function schedule() {
    clearTimeout(pullTimer);
    const period = Math.max(1000, Number(model.get("poll_interval_ms")) || 2000);
    pullTimer = window.setTimeout(pull, period);
  }
  function pull() {
    if (!document.hidden) model.send({ type: "pull" });
    schedule();
  }
  on(document, "visibilitychange", () => { if (!document.hidden) pull(); });
  const clock = window.setInterval(() => {
    for (const cell of tbody.querySelectorAll("td.hfew-ago")) {
      cell.textContent = ago(/** @type {HTMLElement} */ (cell).dataset.iso || null);
    }
    renderStatus();
  }, 15000);

  renderAll();
  pull();

  return () => {
    controller.abort();
    clearTimeout(pullTimer);
    clearTimeout(pendingTimer);
    clearInterval(clock);
    for (const undo of unlisten) undo();
    root.remove();
  };
}

export default { render };
