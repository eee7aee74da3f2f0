// The operator inbox: lists drafts from /api/drafts and carries out the operator's decisions.
// Every text from mail is data: it is written with textContent (never innerHTML), and links
// are only followed when they are http(s).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const PAGE_SIZE = 20;
  const view = { page: 1, total: 0, status: "pending_approval", draft: null, busy: false };

  const STATUS_LABELS = {
    pending_approval: "Pending approval",
    approved: "Approved",
    edited: "Approved with edits",
    sent: "Sent",
    ignored: "Rejected by you",
    rejected: "Rejected by the gate",
    blocked: "Blocked",
    superseded: "Superseded",
    handled: "Handled in Gmail",
    expired: "Expired",
  };
  const DONE_NOTICES = {
    approved: "Approved. The draft stays in Gmail for you to send.",
    edited: "Approved with your edits: the Gmail draft has your text.",
    sent: "Approved and sent.",
    ignored: "Rejected: the Gmail draft was deleted.",
    pending_approval: "Rewritten with your feedback: review it again.",
    rejected: "The rewrite failed the quality gate: see why below.",
    blocked: "Blocked by policy: nothing was written.",
  };

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, { method = "GET", json } = {}) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    const response = await fetch(path, init);
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null; // an empty or non-JSON answer: the status says enough
    }
    if (!response.ok) {
      const code = (payload && payload.code) || `http_${response.status}`;
      const message = (payload && payload.message) || response.statusText || "request failed";
      throw new ApiError(response.status, code, message);
    }
    return payload;
  }

  // Builds an element; string children become text nodes, so they are never parsed as HTML.
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function safeUrl(url) {
    if (!url) return null;
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const slotTime = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
  const when = (iso, format = dateTime) => (iso ? format.format(new Date(iso)) : "");
  const words = (text) => (text || "").replaceAll("_", " ").toLowerCase();

  function notify(message, kind = "info") {
    const notice = $("notice");
    notice.textContent = message;
    notice.className = `notice ${kind}`;
    notice.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  function showSignIn(message) {
    $("inbox").hidden = true;
    $("sign-out").hidden = true;
    $("sign-in").hidden = false;
    $("sign-in-error").textContent = message || "";
    $("api-key").focus();
  }

  function showInbox() {
    $("sign-in").hidden = true;
    $("inbox").hidden = false;
    $("sign-out").hidden = false;
  }

  // Any call that answers 401 sends the operator to the sign-in form.
  async function guarded(action) {
    try {
      return await action();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // Before the inbox showed, a 401 only means nobody has signed in yet.
        showSignIn($("inbox").hidden ? "" : "Your session has ended: sign in again.");
        return undefined;
      }
      notify(error.message, "error");
      return undefined;
    }
  }

  function badge(node, text, tone) {
    node.textContent = text;
    node.className = `badge ${tone || ""}`.trim();
    node.hidden = !text;
  }

  const gateTone = (status) => ({ PASS: "ok", WARN: "warn", FAIL: "bad" })[status] || "";

  function renderList(page) {
    const list = $("draft-list");
    list.replaceChildren();
    view.total = page.total;
    for (const draft of page.drafts) {
      const selected = view.draft && view.draft.id === draft.id;
      const button = el(
        "button",
        { type: "button", className: "draft-item", "data-draft-id": draft.id },
        el("span", { className: "who" }, draft.contact_email),
        el("span", { className: "subject" }, draft.subject),
        el("span", { className: "preview" }, draft.preview),
        el(
          "span",
          { className: "tags" },
          el("span", { className: `badge ${gateTone(draft.gate_status)}` }, draft.gate_status || "no gate"),
          draft.plan_action ? el("span", { className: "badge" }, words(draft.plan_action)) : null,
          el("span", { className: "muted" }, when(draft.created_at)),
        ),
      );
      if (selected) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => selectDraft(draft.id));
      list.append(el("li", {}, button));
    }
    $("list-empty").hidden = page.drafts.length > 0;
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    $("page-info").textContent = `Page ${view.page} of ${pages} · ${page.total} drafts`;
    $("prev-page").disabled = view.page <= 1;
    $("next-page").disabled = view.page >= pages;
  }

  async function loadList() {
    const query = new URLSearchParams({ page: String(view.page), page_size: String(PAGE_SIZE) });
    if (view.status) query.set("status", view.status);
    const page = await api(`/api/drafts?${query}`);
    showInbox();
    renderList(page);
    return page;
  }

  function fillList(id, items, render, empty) {
    const list = $(id);
    list.replaceChildren(...items.map((item) => el("li", {}, ...render(item))));
    if (!items.length) list.append(el("li", { className: "muted" }, empty));
  }

  function renderPlan(plan) {
    if (!plan) return "none";
    const parts = [words(plan.action), `${plan.tone}, urgency ${plan.urgency}, risk ${plan.risk}`];
    return `${parts.join(" · ")}: ${plan.reason}`;
  }

  function renderDraft(draft) {
    view.draft = draft;
    const pending = draft.status === "pending_approval";
    $("draft-empty").hidden = true;
    $("draft-view").hidden = false;
    $("draft-title").textContent = `Reply to ${draft.contact_email}`;
    badge($("draft-status"), STATUS_LABELS[draft.status] || draft.status, pending ? "warn" : "");
    const gate = draft.gate || {};
    badge($("draft-gate"), gate.status ? `Gate ${gate.status}` : "", gateTone(gate.status));
    badge($("draft-plan"), draft.plan ? words(draft.plan.action) : "", "");
    const link = $("gmail-link");
    const gmailUrl = safeUrl(draft.gmail_url);
    link.hidden = !gmailUrl;
    if (gmailUrl) link.href = gmailUrl;
    else link.removeAttribute("href");

    $("ctx-summary").textContent = draft.summary || "none";
    $("ctx-intent").textContent = words(draft.intent) || "unknown";
    $("ctx-plan").textContent = renderPlan(draft.plan);
    $("ctx-writer").textContent =
      `${draft.writer || "unknown"}${draft.revisions ? `, ${draft.revisions} revision(s)` : ""}`;

    $("gate-summary").textContent = gate.status
      ? `${gate.status}, risk score ${gate.risk_score}${gate.reason ? `: ${gate.reason}` : ""}`
      : "not checked";
    fillList(
      "gate-list",
      [...(gate.violations || []).map((v) => [v.severity, v.message]),
        ...(gate.suggestions || []).map((s) => ["suggestion", s])],
      ([kind, text]) => [el("strong", {}, `${kind}: `), text],
      "no warnings",
    );
    fillList(
      "slot-list",
      draft.slots || [],
      (slot) => [el("time", { datetime: slot.start }, when(slot.start, slotTime)), ` (${slot.reason})`],
      "none",
    );
    fillList(
      "asset-list",
      draft.assets || [],
      (asset) => {
        const url = safeUrl(asset.url);
        const name = url
          ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, asset.name)
          : el("span", {}, asset.name);
        return [name, ` (${words(asset.asset_type)})`];
      },
      "none",
    );

    $("draft-subject").value = draft.subject;
    $("draft-body").value = draft.body;
    for (const id of ["draft-subject", "draft-body"]) $(id).readOnly = !pending;
    $("decide").hidden = !pending;
    $("respond-form").hidden = !pending;
    $("save-edit").disabled = true;
    $("feedback").value = "";

    fillList(
      "audit-list",
      draft.audit || [],
      (event) => [
        el("time", { datetime: event.occurred_at }, when(event.occurred_at)),
        ` ${words(event.action)} by ${event.actor}`,
        event.reason ? `: ${event.reason}` : "",
      ],
      "no events",
    );
    $("audit-count").textContent = String(draft.audit_total || 0);
    $("rejection").hidden = true;
    if (draft.status === "rejected" || draft.status === "ignored") loadRejection(draft.id);
    for (const item of document.querySelectorAll(".draft-item")) {
      if (item.dataset.draftId === draft.id) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    }
  }

  async function loadRejection(id) {
    const why = await guarded(() => api(`/api/drafts/${encodeURIComponent(id)}/rejection`));
    if (!why || !view.draft || view.draft.id !== id) return;
    $("rejection-reason").textContent = `${why.rejected_by === "gate" ? "Quality gate" : "You"}: ${why.reason}`;
    $("rejection").hidden = false;
  }

  function rememberThread(threadId) {
    const url = new URL(window.location.href);
    url.searchParams.set("thread", threadId);
    window.history.replaceState(null, "", url);
  }

  async function selectDraft(id) {
    const draft = await guarded(() => api(`/api/drafts/${encodeURIComponent(id)}`));
    if (!draft) return;
    renderDraft(draft);
    document.dispatchEvent(new CustomEvent("inbox:draft", { detail: { id: draft.id } }));
    rememberThread(draft.thread_id);
    $("draft").focus();
  }

  function setBusy(busy) {
    view.busy = busy;
    for (const button of document.querySelectorAll("#draft-view button")) button.disabled = busy;
    if (!busy) $("save-edit").disabled = !edited();
    $("draft").setAttribute("aria-busy", String(busy));
  }

  // A textarea's value has \n line ends whatever it was given, so compare it that way.
  const lines = (text) => text.replaceAll("\r\n", "\n");

  function edited() {
    const draft = view.draft;
    return Boolean(draft) && (
      $("draft-subject").value !== draft.subject || $("draft-body").value !== lines(draft.body)
    );
  }

  async function decide(action, body, working) {
    if (!view.draft || view.busy) return;
    const id = view.draft.id;
    notify(working);
    setBusy(true);
    try {
      const draft = await guarded(() =>
        api(`/api/drafts/${encodeURIComponent(id)}/${action}`, { method: "POST", json: body }),
      );
      if (!draft) return;
      renderDraft(draft);
      notify(DONE_NOTICES[draft.status] || `Now ${STATUS_LABELS[draft.status] || draft.status}.`, "ok");
      await guarded(loadList);
    } finally {
      setBusy(false);
    }
  }

  async function openThread(threadId) {
    const query = new URLSearchParams({ thread_id: threadId, page_size: "1" });
    const page = await guarded(() => api(`/api/drafts?${query}`));
    if (!page) return;
    if (page.drafts.length) await selectDraft(page.drafts[0].id);
    else notify(`No draft for thread ${threadId}.`, "error");
  }

  async function start() {
    const loaded = await guarded(loadList);
    if (!loaded) return;
    const threadId = new URLSearchParams(window.location.search).get("thread");
    if (threadId) await openThread(threadId);
  }

  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = $("api-key").value.trim();
    if (!key) return;
    try {
      await api("/api/session", { method: "POST", json: { key } });
    } catch (error) {
      $("sign-in-error").textContent =
        error.status === 401 || error.status === 403 ? "That key was not accepted." : error.message;
      return;
    }
    $("api-key").value = "";
    $("sign-in-error").textContent = "";
    await start();
  });

  $("sign-out").addEventListener("click", async () => {
    try {
      await api("/api/session", { method: "DELETE" });
    } catch (error) {
      notify(error.message, "error");
      return;
    }
    view.draft = null;
    showSignIn("Signed out.");
  });

  $("status-filter").addEventListener("change", async (event) => {
    view.status = event.target.value;
    view.page = 1;
    await guarded(loadList);
  });
  $("prev-page").addEventListener("click", async () => {
    view.page = Math.max(1, view.page - 1);
    await guarded(loadList);
  });
  $("next-page").addEventListener("click", async () => {
    view.page += 1;
    await guarded(loadList);
  });

  for (const id of ["draft-subject", "draft-body"]) {
    $(id).addEventListener("input", () => {
      $("save-edit").disabled = view.busy || !edited();
    });
  }
  $("approve").addEventListener("click", () => {
    if (edited() && !window.confirm("Approve the draft as it was, without your edits?")) return;
    decide("approve", undefined, "Approving…");
  });
  $("edit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!edited()) return;
    decide(
      "edit",
      { subject: $("draft-subject").value, body: $("draft-body").value },
      "Saving your edits to Gmail…",
    );
  });
  $("reject").addEventListener("click", () => {
    if (!window.confirm("Reject this draft? Its Gmail draft will be deleted.")) return;
    decide("reject", undefined, "Rejecting…");
  });
  $("respond-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const message = $("feedback").value.trim();
    if (!message) return;
    decide("respond", { message }, "Rewriting with your feedback…");
  });

  start();
})();
