// SessionGrid's web console: a small client of the public APIs. Everything that comes from the API is put on the page
// as text (textContent, text nodes), never as HTML. The key lives in sessionStorage and goes out as the apikey header.

const store = window.sessionStorage;
const KEY = "sessiongrid.console.key";
const ROLE = "sessiongrid.console.role";
const $ = (id) => document.getElementById(id);
let timer = null;
let generation = 0;

/** An element with attributes (on* never) and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) throw new Error("no inline handlers");
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

/** A call of the public API with the signed-in key; errors carry the API's own text. */
async function api(path, options = {}) {
  const headers = { apikey: store.getItem(KEY) ?? "", ...(options.headers ?? {}) };
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: options.method ?? "GET", headers, cache: "no-store", credentials: "omit",
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!response.ok) {
    const detail = body?.detail ?? body?.error ?? body?.title ?? (typeof body === "string" && body) ?? response.statusText;
    throw new ApiError(response.status, String(detail));
  }
  return body;
}

const time = (ms) => (ms ? new Date(ms).toLocaleString() : "");
function duration(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
const json = (value) => (value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value, null, 2));
const status = (name) => el("span", { class: `status status-${name}` }, name);
const cell = (label, content, cls) => el("td", { "data-label": label, class: cls }, content);

function table(headings, rows, caption) {
  return el("div", { class: "table-wrap" },
    el("table", { class: "responsive" },
      caption ? el("caption", { class: "muted" }, caption) : null,
      el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
}

function problem(error) {
  return el("p", { class: "error", role: "alert" }, error instanceof ApiError ? `${error.status}: ${error.message}` : String(error?.message ?? error));
}

/** Replaces the view's content, unless another page was opened meanwhile. */
function show(gen, ...nodes) {
  if (gen !== generation) return false;
  $("view").replaceChildren(...nodes);
  return true;
}

function stopTimer() { if (timer) { clearTimeout(timer); timer = null; } }
function later(gen, fn, ms) { stopTimer(); timer = setTimeout(() => { if (gen === generation) fn(); }, ms); }

// ---- sign-in ----

async function signIn(key) {
  store.setItem(KEY, key);
  try {
    await api("/api/v1/console/sessions?l=1");
    return "tenant";
  } catch (tenantError) {
    try {
      await api("/api/v1/admin/keys");
      return "admin";
    } catch {
      store.removeItem(KEY);
      throw tenantError;
    }
  }
}

function signOut() {
  store.removeItem(KEY);
  store.removeItem(ROLE);
  location.hash = "#/";
  route();
}

// ---- pages ----

const pages = {
  sessions: sessionsPage,
  session: sessionPage,
  profiles: profilesPage,
  files: filesPage,
  credentials: credentialsPage,
  nodes: nodesPage,
  keys: keysPage,
};

function sessionsPage(gen, params) {
  const statusSelect = el("select", { id: "filter-status" }, ["", "waiting", "running", "done", "failed", "cancelled"].map((s) => el("option", { value: s }, s || "any")));
  const dialectSelect = el("select", { id: "filter-dialect" }, [["", "any"], ["task", "Task API"], ["browser-session", "Browser Session API"], ["browsing", "Browsing API"]].map(([v, t]) => el("option", { value: v }, t)));
  const auto = el("input", { id: "auto-refresh", type: "checkbox", checked: true });
  statusSelect.value = params.get("status") ?? "";
  dialectSelect.value = params.get("dialect") ?? "";
  const list = el("div", { id: "sessions-list", "aria-live": "polite" }, el("p", { class: "muted" }, "Loading…"));
  const pager = el("div", { class: "pager" });
  const cursors = [];
  let cursor = null;

  const query = () => {
    const q = new URLSearchParams({ l: "25" });
    if (statusSelect.value) q.set("status", statusSelect.value);
    if (dialectSelect.value) q.set("dialect", dialectSelect.value);
    if (cursor) q.set("t", cursor);
    return q;
  };

  async function load() {
    try {
      const page = await api(`/api/v1/console/sessions?${query()}`);
      if (gen !== generation) return;
      const rows = page.sessions.map((s) => el("tr", { class: s.status === "failed" ? "failed" : null, "data-id": s.id },
        cell("Id", el("a", { href: `#/session/${encodeURIComponent(s.id)}` }, s.id), "mono"),
        cell("Dialect", s.dialect),
        cell("Status", status(s.status)),
        cell("Device", s.device),
        cell("Node", s.node ?? ""),
        cell("URL", s.current_url || s.url || "", "url"),
        cell("Started", time(s.created_at)),
        cell("Duration", duration((s.finished_at ?? Date.now()) - s.created_at)),
        cell("Credits", String(s.credits_used))));
      list.replaceChildren(rows.length ? table(["Id", "Dialect", "Status", "Device", "Node", "URL", "Started", "Duration", "Credits"], rows) : el("p", { class: "notice" }, "No sessions."));
      const newer = el("button", { type: "button", disabled: cursors.length === 0 }, "Newer");
      const older = el("button", { type: "button", disabled: page.next === null }, "Older");
      newer.addEventListener("click", () => { cursor = cursors.pop() ?? null; load(); });
      older.addEventListener("click", () => { cursors.push(cursor); cursor = String(page.next); load(); });
      pager.replaceChildren(newer, older, el("span", { class: "muted" }, cursors.length ? `page ${cursors.length + 1}` : "newest"));
    } catch (error) {
      list.replaceChildren(problem(error));
    }
    if (auto.checked && !cursor) later(gen, load, 3000);
  }

  const filtersChanged = () => {
    const q = new URLSearchParams();
    if (statusSelect.value) q.set("status", statusSelect.value);
    if (dialectSelect.value) q.set("dialect", dialectSelect.value);
    history.replaceState(null, "", `#/sessions${q.size ? "?" + q : ""}`);
    cursor = null; cursors.length = 0; load();
  };
  statusSelect.addEventListener("change", filtersChanged);
  dialectSelect.addEventListener("change", filtersChanged);
  auto.addEventListener("change", () => (auto.checked ? load() : stopTimer()));

  show(gen, el("h1", {}, "Sessions"),
    el("div", { class: "filters" },
      el("div", {}, el("label", { for: "filter-status" }, "Status"), statusSelect),
      el("div", {}, el("label", { for: "filter-dialect" }, "Dialect"), dialectSelect),
      el("div", {}, el("label", { for: "auto-refresh" }, "Auto-refresh"), auto)),
    list, pager);
  load();
}

function sessionPage(gen, params, id) {
  let after = 0;
  let liveShown;
  const facts = el("dl", { class: "facts", id: "session-facts" });
  const reason = el("div", { id: "session-error" });
  const live = el("div", { class: "live", id: "live" });
  const events = el("tbody", { id: "events" });
  const heading = el("h1", {}, "Session ", el("span", { class: "mono" }, id));

  function renderFacts(s) {
    const rows = [["Status", status(s.status)], ["Dialect", s.dialect], ["Device", s.device], ["Node", s.node ?? ""], ["Opened at", s.url ?? ""],
      ["Page now", s.current_url ?? ""], ["Page title", s.title ?? ""],
      ["Started", time(s.created_at)], ["Duration", duration((s.finished_at ?? Date.now()) - s.created_at)], ["Credits", String(s.credits_used)],
      ["Profile", s.profile ? `${s.profile.id}${s.profile.read_only ? " (read-only)" : ""}` : "none"],
      ["Output", s.output === null ? "" : el("pre", {}, json(s.output))], ["Replay", replay(s)]];
    facts.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    reason.replaceChildren(...(s.error ? [el("p", { class: "error", role: "alert" }, `Failed: ${s.error}`)] : []));
  }

  let replayWaits = 0;

  /** The session's video and a link to its replay page once the recording is there (both signed links of this server). */
  function replay(s) {
    const own = (url) => typeof url === "string" && url.startsWith(location.origin + "/") ? url : null;
    const page = own(s.replay_url), video = own(s.recording_url);
    if (!page || !video) return s.finished_at ? "no recording" : "recording while it runs";
    return el("div", { id: "replay" },
      el("a", { href: page, target: "_blank", rel: "noopener", id: "replay-link" }, "Open the replay (video beside the events)"),
      el("video", { src: video, controls: true, preload: "metadata", id: "replay-video", class: "replay-video" }));
  }

  function renderLive(s) {
    const path = typeof s.live_path === "string" && s.live_path.startsWith("/live/") ? s.live_path : null;
    if (path === liveShown) return;
    liveShown = path;
    if (!path) {
      live.replaceChildren(el("h2", {}, "Live view"), el("p", { class: "muted" }, "The session has ended: no live view."));
      return;
    }
    const frame = el("iframe", { id: "live-frame", title: "Live view of the session", src: `${path}&embed=true` });
    const take = el("button", { type: "button", id: "take-over", "aria-pressed": "false" }, "Take over");
    take.addEventListener("click", () => {
      const on = take.getAttribute("aria-pressed") !== "true";
      take.setAttribute("aria-pressed", String(on));
      take.textContent = on ? "Hand back (view only)" : "Take over";
      frame.src = `${path}&embed=true${on ? "&interactive=true" : ""}`;
      if (on) frame.focus();
    });
    live.replaceChildren(el("h2", {}, "Live view"), el("div", { class: "actions" }, take,
      el("span", { class: "muted" }, "Taking over sends your mouse and keyboard to the session's page.")), frame);
  }

  function renderEvents(list) {
    for (const e of list) {
      const failed = e.ok === false;
      events.append(el("tr", { class: failed ? "failed" : null },
        cell("Time", new Date(e.timestamp).toLocaleTimeString(), "mono"),
        cell("Event", [e.name, e.id ? el("div", { class: "muted mono" }, e.id) : null]),
        cell("Action", e.action ?? ""),
        cell("Result", e.status ? (failed ? el("strong", {}, e.status) : e.status) : ""),
        cell("Duration", e.duration_ms === null ? "" : `${e.duration_ms} ms`),
        cell("Output", el("pre", {}, failed ? e.error ?? "" : json(e.output ?? e.data)), "out")));
    }
  }

  async function load() {
    try {
      const s = await api(`/api/v1/console/sessions/${encodeURIComponent(id)}?event_t=${after}`);
      if (gen !== generation) return;
      renderFacts(s);
      renderLive(s);
      renderEvents(s.events);
      if (s.events.length) after = s.events[s.events.length - 1].timestamp;
      // While it runs, and for a while after it ended until its video is there (the recorder finishes it).
      if (!s.finished_at || (!s.replay_url && replayWaits++ < 20)) later(gen, load, 1500);
    } catch (error) {
      show(gen, heading, problem(error), el("p", {}, el("a", { href: "#/sessions" }, "Back to sessions")));
    }
  }

  show(gen, heading, reason, el("div", { class: "split" }, el("div", {}, facts), live),
    el("h2", {}, "Events"),
    el("div", { class: "table-wrap" }, el("table", { class: "responsive" },
      el("thead", {}, el("tr", {}, ["Time", "Event", "Action", "Result", "Duration", "Output"].map((h) => el("th", { scope: "col" }, h)))), events)));
  load();
}

/** A delete button that asks once more in place (no browser dialog). */
function confirmButton(label, run) {
  const button = el("button", { type: "button", class: "danger" }, label);
  let armed = false;
  button.addEventListener("click", async () => {
    if (!armed) { armed = true; button.textContent = `Really ${label.toLowerCase()}?`; return; }
    button.disabled = true;
    await run();
  });
  button.addEventListener("blur", () => { if (armed && !button.disabled) { armed = false; button.textContent = label; } });
  return button;
}

async function profilesPage(gen) {
  const message = el("div", { "aria-live": "polite" });
  try {
    const { r } = await api("/api/v1/profile");
    const rows = r.map((p) => el("tr", {},
      cell("Profile", p.id, "mono"),
      cell("Cookies", String(p.cookie_count)),
      cell("Cookie domains", (p.cookie_domains ?? []).join(", "), "url"),
      cell("Size", `${p.profile_size_bytes} bytes`),
      cell("Last saved", p.last_saved_at ? time(p.last_saved_at * 1000) : "never"),
      cell("", confirmButton("Delete", async () => {
        try { await api(`/api/v1/profile/${encodeURIComponent(p.id)}`, { method: "DELETE" }); route(); }
        catch (error) { message.replaceChildren(problem(error)); route(); }
      }))));
    show(gen, el("h1", {}, "Profiles"), message,
      rows.length ? table(["Profile", "Cookies", "Cookie domains", "Size", "Last saved", ""], rows) : el("p", { class: "notice" }, "No profiles."));
  } catch (error) {
    show(gen, el("h1", {}, "Profiles"), problem(error));
  }
}

function filesPage(gen) {
  const input = el("input", { id: "file-input", type: "file" });
  const purpose = el("input", { id: "file-purpose", maxlength: "64" });
  const result = el("div", { "aria-live": "polite" });
  const form = el("form", { class: "inline" },
    el("div", {}, el("label", { for: "file-input" }, "File"), input),
    el("div", {}, el("label", { for: "file-purpose" }, "Purpose (optional)"), purpose),
    el("button", { type: "submit", class: "primary" }, "Upload"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.files?.length) return;
    const body = new FormData();
    body.append("file", input.files[0]);
    if (purpose.value) body.append("file_purpose", purpose.value);
    try {
      const { r } = await api("/api/v1/file", { method: "POST", body });
      result.replaceChildren(el("p", { class: "notice" }, "Uploaded as ", el("span", { class: "mono", id: "uploaded-id" }, r.id), ": name it in a task's files."));
    } catch (error) { result.replaceChildren(problem(error)); }
  });
  const id = el("input", { id: "delete-file-id", placeholder: "file_…" });
  const del = el("form", { class: "inline" }, el("div", {}, el("label", { for: "delete-file-id" }, "File id"), id), el("button", { type: "submit" }, "Delete"));
  del.addEventListener("submit", async (event) => {
    event.preventDefault();
    try { await api(`/api/v1/file/${encodeURIComponent(id.value)}`, { method: "DELETE" }); result.replaceChildren(el("p", { class: "notice" }, "Deleted.")); }
    catch (error) { result.replaceChildren(problem(error)); }
  });
  show(gen, el("h1", {}, "Files"),
    el("p", { class: "muted" }, "Files uploaded for tasks (Task API /file), kept 24 hours. SessionGrid has no list of them: keep the ids you upload."),
    el("h2", {}, "Upload"), form, el("h2", {}, "Delete"), del, result);
}

async function credentialsPage(gen) {
  try {
    const { credentials } = await api("/api/v1/browser/credentials");
    const rows = credentials.map((c) => el("tr", {},
      cell("Name", c.name ?? ""), cell("Domains", (c.domains ?? []).join(", "), "url"),
      cell("TOTP", c.hasTotp ? "yes" : "no"), cell("Created", c.createdAt ?? ""), cell("Id", c.id, "mono")));
    show(gen, el("h1", {}, "Credentials"), el("p", { class: "muted" }, "Names and domains only: secrets never leave the vault."),
      rows.length ? table(["Name", "Domains", "TOTP", "Created", "Id"], rows) : el("p", { class: "notice" }, "No credentials."));
  } catch (error) {
    show(gen, el("h1", {}, "Credentials"), problem(error));
  }
}

async function nodesPage(gen) {
  try {
    const { nodes } = await api("/api/v1/console/nodes");
    const rows = nodes.map((n) => el("tr", {},
      cell("Node", n.draining ? `${n.name} (draining)` : n.name, "mono"), cell("Country", n.country ?? ""),
      cell("Used", `${n.used} of ${n.capacity}`), cell("Free", String(n.free)), cell("Waiting", String(n.waiting)),
      cell("Chromium processes", String(n.chromium_processes)), cell("Chromium", n.chromium_version ?? ""), cell("Version", n.version ?? ""),
      cell("Reported", time(n.reported_at))));
    show(gen, el("h1", {}, "Nodes"),
      rows.length ? table(["Node", "Country", "Used", "Free", "Waiting", "Chromium processes", "Chromium", "Version", "Reported"], rows) : el("p", { class: "notice" }, "No node reported yet."));
    later(gen, () => nodesPage(gen), 5000);
  } catch (error) {
    show(gen, el("h1", {}, "Nodes"), problem(error));
  }
}

async function keysPage(gen) {
  const heading = el("h1", {}, "Keys");
  let keys;
  try {
    ({ keys } = await api("/api/v1/admin/keys"));
  } catch (error) {
    show(gen, heading, problem(error));
    return;
  }
  const name = el("input", { id: "key-name", maxlength: "64" });
  const tenant = el("input", { id: "key-tenant", placeholder: "k_… or empty" });
  const issued = el("div", { id: "issued", "aria-live": "polite" });
  const form = el("form", { class: "inline" },
    el("div", {}, el("label", { for: "key-name" }, "Name (names its limits)"), name),
    el("div", {}, el("label", { for: "key-tenant" }, "Tenant (empty: a new one)"), tenant),
    el("button", { type: "submit", class: "primary" }, "Issue key"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    if (name.value) body.name = name.value;
    if (tenant.value) body.tenant = tenant.value;
    try {
      const key = await api("/api/v1/admin/keys", { method: "POST", json: body });
      await keysPage(gen);
      $("issued")?.replaceChildren(el("p", {}, `Issued ${key.id}. The key is shown only now:`), el("p", { class: "key-once", id: "issued-key" }, key.key));
    } catch (error) { issued.replaceChildren(problem(error)); }
  });
  const rows = keys.map((k) => el("tr", { "data-id": k.id },
    cell("Id", k.id, "mono"), cell("Name", k.name ?? ""), cell("Tenant", k.tenant, "mono"), cell("Created", k.createdAt),
    cell("Status", k.revoked ? `revoked ${k.revokedAt}` : "active"),
    cell("", k.revoked ? "" : confirmButton("Revoke", async () => {
      try { await api(`/api/v1/admin/keys/${encodeURIComponent(k.id)}`, { method: "DELETE" }); await keysPage(gen); }
      catch (error) { issued.replaceChildren(problem(error)); }
    }))));
  show(gen, heading, el("h2", {}, "Issue a key"), form, issued,
    el("p", { class: "muted" }, "Limits hold per key name or tenant, from configuration: SessionGrid:Limits:Keys:<name>:… (see docs/operations.md)."),
    el("h2", {}, "Issued keys"),
    rows.length ? table(["Id", "Name", "Tenant", "Created", "Status", ""], rows) : el("p", { class: "notice" }, "No issued keys."));
}

// ---- routing ----

function route() {
  generation++;
  stopTimer();
  const gen = generation;
  const signedIn = store.getItem(KEY) !== null;
  const role = store.getItem(ROLE) ?? "tenant";
  $("signin").hidden = signedIn;
  $("view").hidden = !signedIn;
  $("nav").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  if (!signedIn) {
    $("view").replaceChildren();
    return;
  }
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, ...rest] = path.split("/");
  const name = pages[page] ? page : role === "admin" ? "keys" : "sessions";
  for (const link of $("nav").querySelectorAll("a")) {
    link.hidden = link.dataset.role !== role;
    if (link.getAttribute("href") === `#/${name === "session" ? "sessions" : name}`) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · SessionGrid console`;
  pages[name](gen, new URLSearchParams(query ?? ""), decodeURIComponent(rest.join("/")));
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = $("signin-error");
  error.hidden = true;
  try {
    const role = await signIn($("key").value.trim());
    store.setItem(ROLE, role);
    $("key").value = "";
    route();
    $("main").focus();
  } catch (e) {
    error.textContent = e instanceof ApiError && (e.status === 401 || e.status === 403)
      ? "This key was refused: it is no API key or admin key of this SessionGrid."
      : `Could not sign in: ${e.message}`;
    error.hidden = false;
  }
});
$("signout").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
document.body.dataset.ready = "true";
route();
