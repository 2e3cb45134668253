// nuki-sim dashboard: reads everything through /_sim and the Nuki API, like any client, and
// re-reads it whenever /_dashboard/events says something changed. No framework, no build.
"use strict";

(() => {
  const PAGE_HEADER = "X-Nuki-Sim-Dashboard"; // lets the server tell the page's reads apart
  const HINT_HEADER = "X-Nuki-Sim-Hint";
  // Tags the page's reads in the request journal (both APIs ignore unknown query parameters),
  // so the journal can hide them and shows whose they are when it does not.
  const READ_TAG = "via=dashboard";
  const KEYPAD_CODE = 13;
  const STATES = {
    0: "uncalibrated", 1: "locked", 2: "unlocking", 3: "unlocked", 4: "locking",
    5: "unlatched", 6: "unlocked (lock 'n' go)", 7: "unlatching", 254: "motor blocked",
    255: "undefined",
  };
  const TRANSITIONAL = new Set([2, 4, 7]);
  const AUTH_TYPES = { 0: "app", 1: "bridge", 2: "fob", 3: "keypad", 13: "keypad code" };
  const ACTIONS = { 1: "unlock", 2: "lock", 3: "unlatch", 4: "lock 'n' go", 5: "lock 'n' go + unlatch" };
  // The fields of an authorization whose difference between device and cloud is shown.
  const COMPARED = [
    "name", "code", "enabled", "remoteAllowed", "allowedFromDate", "allowedUntilDate",
    "allowedWeekDays", "allowedFromTime", "allowedUntilTime",
  ];

  const $ = (selector, root = document) => root.querySelector(selector);
  const params = new URLSearchParams(location.search);
  const tokens = { api: params.get("token") || "", control: params.get("control") || "" };
  const views = new Map(); // smartlockId → the lock's card and its live parts
  const openDeliveries = new Set();
  const openJournal = new Set();
  let clockNow = null; // Date: the simulated present as last read
  let clockReadAt = 0; // Date.now() when it was read
  let clockKind = "virtual";
  let nextSync = null; // ISO instant of the earliest next auto sync

  // --- small helpers ---------------------------------------------------------------------

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key === "dataset") {
        for (const [name, data] of Object.entries(value)) {
          if (data !== null && data !== undefined) el.dataset[name] = data;
        }
      }
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function fill(el, ...children) {
    el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  function when(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    const day = d.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
    return `${day} ${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  }

  function clockTime(iso) {
    return iso ? iso.slice(11, 16) : "–";
  }

  function relative(iso) {
    if (!iso || !clockNow) return "";
    const seconds = Math.round((new Date(iso) - clockNow) / 1000);
    if (seconds === 0) return "now";
    if (Math.abs(seconds) < 60) return seconds > 0 ? `in ${seconds} s` : `${-seconds} s ago`;
    let minutes = Math.round(seconds / 60);
    const past = minutes < 0;
    minutes = Math.abs(minutes);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const parts = [];
    if (days) parts.push(`${days} d`);
    if (hours) parts.push(`${hours} h`);
    if (!days && (minutes % 60 || !hours)) parts.push(`${minutes % 60} min`);
    const span = parts.join(" ");
    return past ? `${span} ago` : `in ${span}`;
  }

  function showError(message) {
    const el = $("#error");
    el.textContent = message;
    el.hidden = !message;
  }

  function notice(message, good) {
    const el = $("#notice");
    el.textContent = message;
    el.className = `notice ${good ? "good" : "bad"}`;
    el.hidden = !message;
  }

  // --- talking to the simulator -----------------------------------------------------------

  async function call(method, path, body) {
    const control = path.startsWith("/_sim");
    const headers = { [PAGE_HEADER]: "1", Accept: "application/json" };
    const token = control ? tokens.control : tokens.api;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const url = method === "GET" ? `${path}${path.includes("?") ? "&" : "?"}${READ_TAG}` : path;
    const response = await fetch(url, {
      method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
    if (!response.ok) {
      const detail = (data && data.detailMessage) || response.statusText || "refused";
      const hint = response.headers.get(HINT_HEADER);
      let message = `${method} ${path}: ${response.status} ${detail}`;
      if (hint && hint !== detail) message += ` (${hint})`;
      if (response.status === 401 && control) {
        message += tokens.control ? " — check the control token" : " — enter the control token above";
      } else if (response.status === 401) {
        message += " — check the API token";
      }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // A list some simulators do not serve yet, or a token may not read: a 404 is an empty
  // list ("none"), a 401 a note in its place, and neither is an error of the page.
  async function optionalList(path) {
    try {
      const data = await call("GET", path);
      return { items: Array.isArray(data) ? data : [] };
    } catch (error) {
      if (error.status === 404) return { items: [] };
      if (error.status === 401) return { items: [], note: "not readable with this token (scope)" };
      throw error;
    }
  }

  // Run one user action, show its error if any, then look again.
  async function act(fn) {
    notice("");
    try {
      await fn();
    } catch (error) {
      notice(error.message, false);
    }
    refresh();
  }

  let running = null;
  let again = false;

  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await load();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function load() {
    if (!tokens.api) {
      showError("Enter the API token: nuki-sim prints it at start, and the dashboard link in its banner carries it.");
      return;
    }
    try {
      const [clock, settings, locks, cloudAuths] = await Promise.all([
        call("GET", "/_sim/clock"),
        optionalSettings(),
        call("GET", "/smartlock"),
        call("GET", "/smartlock/auth"),
      ]);
      const devices = await Promise.all(
        locks.map((lock) => call("GET", `/_sim/smartlocks/${lock.smartlockId}/device`)),
      );
      const [subscriptions, deliveries] = await Promise.all([
        call("GET", "/_sim/webhooks"),
        call("GET", "/_sim/webhooks/deliveries?limit=25"),
      ]);
      renderClock(clock, devices, locks);
      renderProfile(settings);
      renderLocks(locks, devices, cloudAuths);
      renderWebhooks(subscriptions, deliveries);
      await loadAccount();
      await loadJournal();
      showError("");
    } catch (error) {
      showError(error.message);
    }
  }

  // --- the clock ------------------------------------------------------------------------------

  function renderClock(clock, devices, locks) {
    clockNow = new Date(clock.now);
    clockReadAt = Date.now();
    clockKind = clock.kind;
    const now = $("#clock-now");
    now.textContent = when(clock.now);
    now.dateTime = clock.now;
    $("#clock-kind").textContent = `${clock.kind} clock`;
    $("#clock-next-due").textContent = clock.nextDue ? `${when(clock.nextDue)} (${relative(clock.nextDue)})` : "–";
    $("#clock-pending").textContent = String(clock.pending);
    const upcoming = devices
      .map((device, i) => ({ at: device.nextAutoSync, name: locks[i].name }))
      .filter((s) => s.at)
      .sort((a, b) => a.at.localeCompare(b.at));
    nextSync = upcoming.length ? upcoming[0].at : null;
    const button = $("#advance-sync");
    button.textContent = nextSync ? `to next sync (${clockTime(nextSync)})` : "to next sync";
    button.title = nextSync ? `${upcoming[0].name}: ${when(nextSync)}` : "no lock has a sync ahead";
    const virtual = clock.kind === "virtual";
    for (const b of document.querySelectorAll(".advance button")) {
      b.disabled = !virtual || (b === button && !nextSync);
      if (!virtual) b.title = "the system clock follows the wall clock; start with --clock virtual";
    }
  }

  // The world's settings; a simulator without GET /_sim/config shows no profile.
  async function optionalSettings() {
    try {
      return await call("GET", "/_sim/config");
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  function renderProfile(settings) {
    const badge = $("#profile");
    badge.hidden = !settings;
    if (!settings) return;
    badge.textContent = `profile ${settings.profile}`;
    badge.title = settings.profile === "nuki-docs"
      ? `API changes are listed ${settings.propagationSeconds} s after the lock applied them`
      : "API changes are listed at the lock's daily sync (the seed)";
  }

  function advance(seconds) {
    act(() => call("POST", "/_sim/clock/advance", { seconds }));
  }

  // --- locks ----------------------------------------------------------------------------------

  function renderLocks(locks, devices, cloudAuths) {
    const container = $("#locks");
    const empty = container.querySelector(":scope > p.empty");
    if (empty && locks.length) empty.remove();
    const seen = new Set();
    locks.forEach((lock, i) => {
      seen.add(lock.smartlockId);
      let view = views.get(lock.smartlockId);
      if (!view) {
        view = lockView(lock.smartlockId);
        views.set(lock.smartlockId, view);
      }
      // Keep the API's order, moving a card only when it is out of place: moving a node
      // takes the focus from an input someone is typing in.
      const there = container.children[i];
      if (there !== view.card) container.insertBefore(view.card, there || null);
      const listed = cloudAuths.filter((a) => a.smartlockId === lock.smartlockId);
      updateLock(view, lock, devices[i], listed);
    });
    for (const [id, view] of views) {
      if (!seen.has(id)) {
        view.card.remove();
        views.delete(id);
      }
    }
    if (!locks.length && !empty) container.append(h("p", { class: "empty panel", text: "This account has no smart locks." }));
  }

  function lockView(id) {
    const v = { id, device: null };
    const base = `/_sim/smartlocks/${id}`;
    v.name = h("h2", { class: "name" });
    v.badges = h("div", { class: "badges" });
    v.result = h("output", { class: "result" });
    v.codesSummary = h("p", { class: "codes-summary" });
    v.codes = h("tbody");
    v.queueCount = h("span", { class: "queue-count count" });
    v.queue = h("ol", { class: "queue" });
    v.sync = h("dl", { class: "sync-info" });
    v.connectivity = h("button", { type: "button", dataset: { action: "connectivity" } });
    v.jam = h("button", { type: "button", dataset: { action: "jam" } });
    v.battery = h("input", { type: "number", min: 0, max: 100, step: 1, class: "battery-input", "aria-label": "battery charge" });
    v.keypadInput = h("input", { class: "keypad-input", inputmode: "numeric", placeholder: "code", size: 8, "aria-label": "code typed on the keypad" });
    v.keypadResult = h("output", { class: "keypad-result" });
    v.keypadForm = h("form", { class: "keypad-form", onsubmit: (e) => { e.preventDefault(); keypad(v); } },
      h("label", {}, "Keypad ", v.keypadInput), h("button", { type: "submit" }, "Enter code"), v.keypadResult);
    v.newName = h("input", { class: "new-code-name", placeholder: "name", size: 10, maxlength: 20, "aria-label": "name of the new code" });
    v.newCode = h("input", { class: "new-code", inputmode: "numeric", placeholder: "6 digits", size: 7, "aria-label": "new keypad code" });
    v.newForm = h("form", { class: "new-code-form", onsubmit: (e) => { e.preventDefault(); createCode(v); } },
      h("span", { class: "label" }, "New code (API)"), v.newName, v.newCode, h("button", { type: "submit" }, "Create"));

    v.connectivity.addEventListener("click", () =>
      act(() => call("POST", `${base}/connectivity`, { online: !v.device.online })));
    v.jam.addEventListener("click", () => act(() => call("POST", `${base}/jam`, { jammed: !v.device.jammed })));
    const setBattery = h("button", { type: "button", dataset: { action: "battery" } }, "Set battery");
    setBattery.addEventListener("click", () =>
      act(() => call("POST", `${base}/battery`, { charge: Number(v.battery.value) })));
    const syncNow = h("button", { type: "button", dataset: { action: "sync" } }, "Sync now");
    syncNow.addEventListener("click", () => act(async () => {
      const answer = await call("POST", `${base}/sync`);
      v.result.textContent = answer.synced ? `synced at ${when(answer.lastSync)}` : "offline: nothing synced";
    }));
    const apiAction = (verb) => {
      const b = h("button", { type: "button", class: "api", dataset: { action: verb } }, verb === "lock" ? "Lock" : "Unlock");
      b.addEventListener("click", () => act(() => call("POST", `/smartlock/${id}/action/${verb}`)));
      return b;
    };

    v.card = h("article", { class: "lock panel", dataset: { lock: id } },
      h("header", {}, v.name, h("span", { class: "lock-id" }, `#${id}`), v.badges),
      h("div", { class: "lock-body" },
        h("section", { class: "codes-panel" },
          h("h3", {}, "Authorizations: device vs. cloud"),
          h("table", { class: "codes" },
            h("thead", {}, h("tr", {},
              h("th", {}, "Name"), h("th", {}, "Type"), h("th", {}, "Code"),
              h("th", {}, "On the device"), h("th", {}, "Listed by the cloud"), h("th", {}, ""))),
            v.codes),
          v.codesSummary,
          v.newForm),
        h("section", { class: "side" }, // the controls first: they stay put while lists grow
          h("h3", {}, "Device events"),
          h("div", { class: "buttons" }, v.connectivity, v.jam, syncNow, apiAction("unlock"), apiAction("lock")),
          h("div", { class: "buttons" }, h("label", {}, "Battery ", v.battery, " %"), setBattery),
          v.keypadForm,
          v.result,
          h("h3", {}, "Pending commands ", v.queueCount),
          v.queue,
          h("h3", {}, "Sync"),
          v.sync)));
    return v;
  }

  function updateLock(v, lock, device, listed) {
    const first = v.device === null;
    v.device = device;
    v.name.textContent = lock.name;
    const state = device.state.state;
    const stateName = STATES[state] || `state ${state}`;
    const cloudState = lock.state ? lock.state.state : state;
    fill(v.badges,
      h("span", { class: `badge state${TRANSITIONAL.has(state) ? " transitional" : ""}${state === 254 ? " bad" : ""}` },
        TRANSITIONAL.has(state) ? `${stateName}…` : stateName),
      cloudState !== state && h("span", { class: "badge muted", title: "what GET /smartlock says" }, `cloud: ${STATES[cloudState] || cloudState}`),
      h("span", { class: `badge connectivity ${device.online ? "good" : "bad"}` }, device.online ? "online" : "offline"),
      h("span", { class: `badge battery${device.state.batteryCritical ? " bad" : ""}` }, `battery ${Math.round(device.batteryCharge)}%`),
      device.model && h("span", { class: "badge model muted" }, device.model),
      h("span", { class: "badge keypad" }, device.keypadPaired ? (device.keypad || "keypad") : "no keypad"),
      device.jammed && h("span", { class: "badge bad jammed" }, "motor jammed"));
    v.connectivity.textContent = device.online ? "Take offline" : "Bring online";
    v.jam.textContent = device.jammed ? "Free motor" : "Jam motor";
    if (first || document.activeElement !== v.battery) v.battery.value = String(Math.round(device.batteryCharge));
    v.keypadInput.disabled = !device.keypadPaired;
    v.newForm.hidden = !device.keypadPaired;
    renderCodes(v, device, listed);
    renderQueue(v, device.queue);
    fill(v.sync,
      h("dt", {}, "last sync"), h("dd", { class: "last-sync" }, `${when(device.lastSync)} (${relative(device.lastSync)})`),
      h("dt", {}, "next auto sync"), h("dd", { class: "next-sync" },
        device.nextAutoSync ? `${when(device.nextAutoSync)} (${relative(device.nextAutoSync)})` : "–"),
      h("dt", {}, "daily at"), h("dd", {}, `${device.syncTime} UTC`));
  }

  function same(a, b) {
    return COMPARED.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  }

  function renderCodes(v, device, listed) {
    const onDevice = new Map(device.auths.map((a) => [a.id, a]));
    const inCloud = new Map(listed.map((a) => [a.id, a]));
    const ids = [...new Set([...onDevice.keys(), ...inCloud.keys()])];
    const rows = ids.map((id) => {
      const dev = onDevice.get(id);
      const cloud = inCloud.get(id);
      const any = dev || cloud;
      let status = "same";
      let note = "";
      if (cloud && cloud.error) {
        status = "error";
        note = `failed on the device: ${cloud.error}`;
      } else if (dev && !cloud) {
        status = "device-only";
        note = "on the lock; the cloud lists it after the next sync";
      } else if (cloud && !dev) {
        status = "cloud-only";
        note = "gone from the lock; the cloud still lists it until the next sync";
      } else {
        const changed = same(dev, cloud);
        if (changed.length) {
          status = "changed";
          note = `differs in ${changed.join(", ")} until the next sync`;
        }
      }
      if (cloud && cloud.operationId && status !== "error") note = note ? `${note}; change queued` : "change queued";
      return { id, any, dev, cloud, status, note };
    });
    rows.sort((a, b) => ((a.dev ? a.dev.authId : 1e9) - (b.dev ? b.dev.authId : 1e9)) || a.any.name.localeCompare(b.any.name));
    fill(v.codes, rows.map((r) => {
      const shown = r.dev || r.cloud;
      const code = shown.code !== undefined ? String(shown.code) : "";
      return h("tr", { class: `auth ${r.status}`, dataset: { authId: r.id, code: code || null } },
        h("td", { class: "name" }, shown.name),
        h("td", { class: "type" }, AUTH_TYPES[shown.type] || `type ${shown.type}`),
        h("td", { class: "code" }, code),
        h("td", { class: `device ${r.dev ? "yes" : "no"}` }, r.dev ? "present" : "missing"),
        h("td", { class: `cloud ${r.cloud ? "yes" : "no"}` }, r.cloud ? "listed" : "not listed"),
        h("td", { class: "note" }, r.note));
    }));
    if (!rows.length) fill(v.codes, h("tr", {}, h("td", { colspan: 6, class: "empty" }, "no authorizations")));
    const differences = rows.filter((r) => r.status !== "same").length;
    v.codesSummary.className = `codes-summary ${differences ? "differs" : "in-sync"}`;
    v.codesSummary.textContent = differences
      ? `${differences} difference${differences > 1 ? "s" : ""} between device and cloud; the next sync (${relative(device.nextAutoSync) || "when online"}) reconciles them.`
      : "Device and cloud agree.";
  }

  function renderQueue(v, queue) {
    v.queueCount.textContent = String(queue.length);
    v.queueCount.classList.toggle("busy", queue.length > 0);
    fill(v.queue, queue.length
      ? queue.map((c) => h("li", { class: "command", dataset: { operationId: c.operationId } },
        h("b", {}, c.command),
        " ",
        c.name || (c.action !== undefined ? ACTIONS[c.action] || `action ${c.action}` : c.authorizationId || ""),
        h("span", { class: "muted" }, ` accepted ${clockTime(c.acceptedAt)} · op ${String(c.operationId).slice(-6)}`)))
      : h("li", { class: "empty" }, "empty: the lock has everything"));
  }

  function keypad(v) {
    const code = v.keypadInput.value.trim();
    if (!code) return;
    act(async () => {
      v.keypadResult.textContent = "…";
      const answer = await call("POST", `/_sim/smartlocks/${v.id}/keypad`, { code });
      v.keypadResult.textContent = answer.granted ? "granted" : `denied: ${answer.reason}`;
      v.keypadResult.className = `keypad-result ${answer.granted ? "granted" : "denied"}`;
    });
  }

  function createCode(v) {
    const code = Number(v.newCode.value.trim());
    const name = v.newName.value.trim() || "Dashboard code";
    act(async () => {
      await call("PUT", `/smartlock/${v.id}/auth`, { type: KEYPAD_CODE, name, code });
      v.result.textContent = `code ${code} accepted: queued for the lock`;
      v.newCode.value = "";
    });
  }

  // --- webhooks -------------------------------------------------------------------------------

  function renderWebhooks(subscriptions, deliveries) {
    fill($("#subscriptions"), subscriptions.length
      ? subscriptions.map((s) => h("tr", { dataset: { webhook: s.id } },
        h("td", {}, String(s.id)),
        h("td", { class: "url" }, s.webhookUrl),
        h("td", {}, (s.webhookFeatures || []).join(", ")),
        h("td", { class: s.active ? "good" : "bad" },
          s.active ? "active" : "deactivated",
          s.consecutiveFailures ? ` · ${s.consecutiveFailures} failed in a row` : "",
          !s.active && h("button", { type: "button", onclick: () => act(() => call("POST", `/_sim/webhooks/${s.id}/reactivate`)) }, "Reactivate")),
        h("td", {}, `${s.sentSuccessfully} ok / ${s.sentErroneous} failed`),
        h("td", {}, String(s.outbox)),
        h("td", {}, s.nextAttempt ? `${when(s.nextAttempt)} (${relative(s.nextAttempt)})` : "–")))
      : h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No subscriptions: PUT /api/decentralWebhook registers one.")));

    const tries = new Map(); // (webhook, payload) → attempts so far, oldest first
    const attempt = new Map();
    for (const d of [...deliveries].reverse()) {
      const key = `${d.webhookId}\n${d.request.body}`;
      tries.set(key, (tries.get(key) || 0) + 1);
      attempt.set(d.id, tries.get(key));
    }
    fill($("#deliveries"), deliveries.length
      ? deliveries.map((d) => {
        let payload = d.request.body;
        let feature = "";
        try {
          const parsed = JSON.parse(payload);
          feature = parsed.feature || parsed.type || "";
          payload = JSON.stringify(parsed, null, 2);
        } catch { /* shown as sent */ }
        const n = attempt.get(d.id);
        const details = h("details", { open: openDeliveries.has(d.id) },
          h("summary", {},
            h("span", { class: `status ${d.succeeded ? "good" : "bad"}` },
              d.succeeded ? `${d.responseStatus} delivered` : (d.responseStatus ? `${d.responseStatus} failed` : "no answer")),
            h("span", { class: "feature" }, feature),
            h("span", { class: "muted" }, `webhook #${d.webhookId} · ${when(d.created)} · ${n > 1 ? `retry ${n - 1}` : "first attempt"} · ${d.duration} ms`)),
          h("pre", { class: "payload" }, payload),
          d.error && h("p", { class: "bad" }, d.error),
          d.response.body && h("p", { class: "muted" }, `answer: ${d.response.body}`));
        details.addEventListener("toggle", () => {
          if (details.open) openDeliveries.add(d.id); else openDeliveries.delete(d.id);
        });
        return h("li", { dataset: { delivery: d.id } }, details);
      })
      : h("li", { class: "empty" }, "No deliveries yet."));
  }

  // --- the account: its users, API keys, addresses and their reservations --------------------

  async function loadAccount() {
    const [users, keys, addresses] = await Promise.all([
      optionalList("/account/user"),
      optionalList("/api/key"),
      optionalList("/address"),
    ]);
    const reservations = await Promise.all(
      addresses.items.map((a) => optionalList(`/address/${a.addressId}/reservation`)),
    );
    renderList($("#account-users"), users, (u) => h("li", { dataset: { accountUser: u.accountUserId } },
      h("b", { class: "name" }, u.name), " ",
      h("span", { class: "email" }, u.email), " ",
      h("span", { class: "id" }, `#${u.accountUserId}`),
      h("span", { class: "muted" }, ` · ${u.type === 1 ? "company" : "user"}${u.language ? ` · ${u.language}` : ""}`),
      u.operationId && h("span", { class: "badge muted" }, "being deleted")));
    renderList($("#api-keys"), keys, (k) => h("li", { dataset: { apiKey: k.apiKeyId } },
      h("b", { class: "name" }, k.description || "(no description)"), " ",
      h("span", { class: "id" }, `#${k.apiKeyId}`),
      h("span", { class: "muted" }, ` · created ${when(k.creationDate)}`),
      k.redirectUris && k.redirectUris.length
        ? h("span", { class: "muted" }, ` · ${k.redirectUris.length} redirect URI${k.redirectUris.length > 1 ? "s" : ""}`)
        : null));
    renderList($("#addresses"), addresses, (a, i) => {
      const locks = (a.smartlockIds || []).length;
      const nested = h("ul", { class: "compact reservations" });
      renderList(nested, reservations[i], (r) => h("li", { dataset: { reservation: r.id } },
        h("b", { class: "name" }, r.name || r.email || r.id),
        h("span", { class: "muted" },
          ` · ${r.state || "–"} · ${when(r.startDate)} → ${when(r.endDate)}`,
          r.guests !== undefined ? ` · ${r.guests} guest${r.guests === 1 ? "" : "s"}` : "")),
        "no reservations");
      return h("li", { dataset: { address: a.addressId } },
        h("b", { class: "name" }, a.name), " ",
        h("span", { class: "id" }, `#${a.addressId}`),
        h("span", { class: "muted" }, ` · ${locks} lock${locks === 1 ? "" : "s"}${a.timeZone ? ` · ${a.timeZone}` : ""}`),
        nested);
    });
  }

  function renderList(el, list, row, none = "none") {
    if (list.note) fill(el, h("li", { class: "empty" }, list.note));
    else if (!list.items.length) fill(el, h("li", { class: "empty" }, none));
    else fill(el, list.items.map(row));
  }

  // --- the request journal --------------------------------------------------------------------

  async function loadJournal() {
    const form = $("#journal-filter");
    const data = new FormData(form);
    const limit = Math.max(1, Math.min(1000, Number(data.get("limit")) || 40));
    const query = new URLSearchParams();
    const method = data.get("method");
    if (method && method !== "writes") query.set("method", method);
    for (const key of ["path", "status"]) {
      const value = String(data.get(key) || "").trim();
      if (value) query.set(key, value);
    }
    if (data.get("includeControl")) query.set("includeControl", "true");
    const ours = !data.get("showOwn");
    query.set("limit", method === "writes" || ours ? "1000" : String(limit));
    let entries = await call("GET", `/_sim/requests?${query}`);
    if (method === "writes") entries = entries.filter((e) => e.method !== "GET");
    if (ours) entries = entries.filter((e) => !`&${e.query}&`.includes(`&${READ_TAG}&`));
    entries = entries.slice(-limit).reverse();
    fill($("#journal-rows"), entries.length
      ? entries.flatMap((e) => {
        const row = h("tr", { class: `entry s${String(e.status)[0]}xx`, dataset: { seq: e.seq }, title: "show the request body" },
          h("td", {}, String(e.seq)),
          h("td", { title: when(e.at) }, e.at.slice(11, 19)),
          h("td", { class: "method" }, e.method),
          h("td", { class: "path" }, e.path + (e.query ? `?${e.query}` : "")),
          h("td", { class: "status" }, String(e.status)),
          h("td", {}, e.durationMs.toFixed(1)));
        row.addEventListener("click", () => {
          if (openJournal.has(e.seq)) openJournal.delete(e.seq); else openJournal.add(e.seq);
          loadJournal().catch((error) => showError(error.message));
        });
        const detail = openJournal.has(e.seq) && h("tr", { class: "entry-body" },
          h("td", { colspan: 6 }, h("pre", {}, e.body || "(no body)")));
        return [row, detail].filter(Boolean);
      })
      : h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No requests match.")));
  }

  // --- wiring ---------------------------------------------------------------------------------

  function connect(event) {
    if (event) event.preventDefault();
    tokens.api = $("#api-token").value.trim();
    tokens.control = $("#control-token").value.trim();
    const query = new URLSearchParams(location.search);
    query.set("token", tokens.api);
    if (tokens.control) query.set("control", tokens.control); else query.delete("control");
    history.replaceState(null, "", `${location.pathname}?${query}`);
    refresh();
  }

  function listen() {
    const live = $("#live");
    const source = new EventSource("events");
    source.addEventListener("open", () => {
      live.textContent = "live";
      live.className = "live on";
    });
    source.addEventListener("error", () => {
      live.textContent = "reconnecting…";
      live.className = "live off";
    });
    source.addEventListener("changed", () => refresh());
  }

  // A system clock moves by itself: show it moving between reads.
  function tick() {
    if (clockKind !== "system" || !clockNow) return;
    const now = new Date(clockNow.getTime() + (Date.now() - clockReadAt)).toISOString();
    $("#clock-now").textContent = when(now);
  }

  function start() {
    $("#api-token").value = tokens.api;
    $("#control-token").value = tokens.control;
    $("#tokens").addEventListener("submit", connect);
    for (const button of document.querySelectorAll(".advance button[data-seconds]")) {
      button.addEventListener("click", () => advance(Number(button.dataset.seconds)));
    }
    $("#advance-sync").addEventListener("click", () => {
      if (nextSync) act(() => call("POST", "/_sim/clock/set", { now: nextSync }));
    });
    let timer = null;
    const filter = $("#journal-filter");
    filter.addEventListener("submit", (e) => e.preventDefault());
    filter.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => loadJournal().catch((error) => showError(error.message)), 250);
    });
    setInterval(tick, 1000);
    listen();
    refresh();
  }

  start();
})();
