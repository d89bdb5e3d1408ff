// @ts-check
/** @typedef {import("./types").RenderContext} RenderContext */

const KINDS = {
  running: "success",
  pending: "warn",
  initializing: "warn",
  updating: "warn",
  updateFailed: "error",
  failed: "error",
  paused: "neutral",
  scaledToZero: "info",
};
const MOVING = new Set(["pending", "initializing", "updating"]);

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {RenderContext} context */
function render({ model, el }) {
  const root = h("span", "hfew-root hfew-badge");
  root.dataset.testid = "hfew-badge";
  const status = h("span", "hfew-status");
  status.dataset.testid = "hfew-badge-status";
  const dot = h("span", "hfew-status-dot");
  dot.setAttribute("aria-hidden", "true");
  const word = h("span", "hfew-status-word");
  status.append(dot, word);
  const name = h("span", "hfew-badge-name");
  const replicas = h("span", "hfew-badge-replicas");
  replicas.dataset.testid = "hfew-badge-replicas";
  const alert = h("span", "hfew-badge-error");
  alert.setAttribute("role", "alert");
  alert.dataset.testid = "hfew-badge-error";
  const alertText = h("span", "hfew-badge-error-text");
  const dismiss = /** @type {HTMLButtonElement} */ (
    h("button", "hfew-icon-button", "×")
  );
  dismiss.type = "button";
  dismiss.setAttribute("aria-label", "Dismiss error");
  alert.append(alertText, dismiss);
  root.append(status, name, replicas, alert);
  el.append(root);

  function update() {
    const value = model.get("status") || "";
    const kind = KINDS[/** @type {keyof KINDS} */ (value)] || "neutral";
    status.className = `hfew-status hfew-status--${kind}`;
    status.classList.toggle("hfew-status--moving", MOVING.has(value));
    status.dataset.status = value;
    word.textContent = value || "unknown";
    const message = model.get("message") || "";
    root.title = message;
    status.setAttribute("aria-label", message ? `${value}: ${message}` : value);
    name.textContent = `${model.get("namespace")}/${model.get("name")}`;
    const ready = model.get("ready_replica");
    const target = model.get("target_replica");
    replicas.textContent = ready == null ? "" : `${ready}/${target ?? "?"} replicas`;
    const error = model.get("error") || "";
    alertText.textContent = error;
    alert.hidden = !error;
  }

  let timer = 0;
  function schedule() {
    clearTimeout(timer);
    const period = Math.max(1000, Number(model.get("poll_interval_ms")) || 2000);
    timer = window.setTimeout(pull, period);
  }
  function pull() {
    if (!document.hidden) model.send({ type: "pull" });
    schedule();
  }
  function onVisibility() {
    if (!document.hidden) pull();
  }
  function onDismiss() {
    model.send({ type: "dismiss" });
  }

  const fields = "status message name namespace ready_replica target_replica error";
  const events = fields.split(" ").map((f) => `change:${f}`).join(" ");
  model.on(events, update);
  model.on("change:poll_interval_ms", schedule);
  dismiss.addEventListener("click", onDismiss);
  document.addEventListener("visibilitychange", onVisibility);
  update();
  pull();

  return () => {
    clearTimeout(timer);
    model.off(events, update);
    model.off("change:poll_interval_ms", schedule);
    dismiss.removeEventListener("click", onDismiss);
    document.removeEventListener("visibilitychange", onVisibility);
    root.remove();
  };
}

export default { render };
