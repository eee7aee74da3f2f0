// The inbox's campaign view: story pitches awaiting approval, decided in bulk.
// Each pitch can be kept (approved), edited in place, or unticked (rejected); "Approve all"
// approves every pitch as it stands. Text from the CRM and the writer is written with
// textContent and form values only, never parsed as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  async function api(path, { method = "GET", json } = {}) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    const response = await fetch(path, init);
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((payload && payload.message) || response.statusText);
      error.status = response.status;
      error.code = payload && payload.code;
      throw error;
    }
    return payload;
  }

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function pitchItem(pitch) {
    const subject = el("input", { type: "text", className: "pitch-subject", "aria-label": `Subject to ${pitch.contact_email}` });
    subject.value = pitch.subject;
    const body = el("textarea", { rows: "8", className: "pitch-body", "aria-label": `Pitch to ${pitch.contact_email}` });
    body.value = pitch.body;
    const keep = el("input", { type: "checkbox", className: "pitch-keep", "aria-label": `Keep the pitch to ${pitch.contact_email}` });
    keep.checked = true;
    const item = el(
      "li",
      { className: "pitch", "data-email": pitch.contact_email, "data-execution": pitch.execution_id },
      el("label", { className: "pitch-head" }, keep, ` ${pitch.contact_email} (${pitch.rank_score.toFixed(2)})`),
      el("p", { className: "muted pitch-reason" }, pitch.rank_reason),
      subject,
      body,
    );
    item.original = { subject: pitch.subject, body: pitch.body };
    return item;
  }

  function decisionsOf(section) {
    const byExecution = new Map();
    for (const item of section.querySelectorAll("li.pitch")) {
      const execution = item.dataset.execution;
      if (!byExecution.has(execution)) byExecution.set(execution, {});
      const subject = item.querySelector(".pitch-subject").value;
      const body = item.querySelector(".pitch-body").value;
      let decision = { type: "approve" };
      if (!item.querySelector(".pitch-keep").checked) decision = { type: "reject" };
      else if (subject !== item.original.subject || body !== item.original.body) {
        decision = { type: "edit", subject, body };
      }
      byExecution.get(execution)[item.dataset.email] = decision;
    }
    return byExecution;
  }

  async function decide(story, section, approveAll) {
    const groups = approveAll
      ? new Map([...decisionsOf(section).keys()].map((execution) => [execution, {}]))
      : decisionsOf(section);
    try {
      for (const [execution, decisions] of groups) {
        await api(`/api/stories/${encodeURIComponent(story.id)}/decisions`, {
          method: "POST",
          json: { execution_id: execution, default: approveAll ? "approve" : "reject", decisions },
        });
      }
      $("campaign-notice").textContent = `Decided the pitches of "${story.name}".`;
    } catch (error) {
      $("campaign-notice").textContent = `Not decided: ${error.message}`;
    }
    await load();
  }

  function storySection(story, pitches) {
    const section = el(
      "section",
      { className: "campaign", "data-story-id": story.id },
      el("h3", {}, story.name),
      el("p", { className: "muted" }, `${pitches.length} pitch(es) await approval. ${story.key_message}`),
    );
    const list = el("ol", { className: "pitches" });
    pitches.forEach((pitch) => list.append(pitchItem(pitch)));
    const approveAll = el("button", { type: "button", className: "primary approve-all" }, "Approve all");
    const apply = el("button", { type: "button", className: "apply" }, "Apply my choices");
    approveAll.addEventListener("click", () => decide(story, section, true));
    apply.addEventListener("click", () => decide(story, section, false));
    section.append(list, el("div", { className: "actions" }, approveAll, apply));
    return section;
  }

  let offMessage = ""; // the notice shown while story pitches are turned off

  async function load() {
    const container = $("campaign-list");
    let stories;
    try {
      stories = await api("/api/stories");
    } catch (error) {
      container.replaceChildren();
      $("campaign-empty").hidden = true;
      // Turned off: the server's message says how to turn them on. Signed out: nothing.
      const off = error.code === "story_pitch_disabled";
      offMessage = off ? error.message : "";
      $("campaign-notice").textContent = offMessage;
      $("campaigns").hidden = !off;
      return;
    }
    // Turned on since: the message goes (a decision's notice stays).
    if (offMessage && $("campaign-notice").textContent === offMessage) {
      $("campaign-notice").textContent = "";
    }
    container.replaceChildren();
    for (const story of stories) {
      const found = await api(`/api/stories/${encodeURIComponent(story.id)}/pitches?status=pending_approval`);
      if (found.pitches.length) container.append(storySection(story, found.pitches));
    }
    $("campaign-empty").hidden = container.children.length > 0;
    $("campaigns").hidden = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const inbox = $("inbox");
    // The inbox shows once signed in: that is when the campaigns can be read.
    new MutationObserver(() => {
      if (!inbox.hidden) load();
      else $("campaigns").hidden = true;
    }).observe(inbox, { attributes: true, attributeFilter: ["hidden"] });
    if (!inbox.hidden) load();
  });
})();
