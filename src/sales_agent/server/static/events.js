// What happened after a send: the last 30 days as a small chart (inline SVG, no library)
// and the selected draft's email events. Numbers and dates only; text is set with
// textContent, never parsed as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const KINDS = ["sent", "replied", "bounced", "unsubscribed", "complained", "meetings"];
  const LABELS = {
    sent: "Sent",
    bounced: "Bounced",
    replied: "Replied",
    unsubscribed: "Unsubscribed",
    complained: "Complained",
    meeting_booked: "Meeting booked",
  };

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.statusText);
    return response.json();
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  }

  // One column per day: sent as the bar, replies and bounces as marks inside it.
  function chart(days) {
    const width = 12, gap = 3, height = 60;
    const top = Math.max(1, ...days.map((d) => d.sent + d.bounced));
    const root = svg("svg", {
      viewBox: `0 0 ${days.length * (width + gap)} ${height}`,
      role: "img",
      "aria-labelledby": "email-stats-title",
      class: "chart",
    });
    days.forEach((day, index) => {
      const x = index * (width + gap);
      const column = svg("g", { class: "day", "data-date": day.date });
      const title = svg("title", {});
      title.textContent = `${day.date}: ${KINDS.map((k) => `${day[k]} ${k}`).join(", ")}`;
      column.append(title, svg("rect", { x, y: 0, width, height, class: "slot" }));
      const scale = (n) => (n / top) * height;
      const sentHeight = scale(day.sent);
      column.append(svg("rect", { x, y: height - sentHeight, width, height: sentHeight, class: "sent" }));
      const replied = scale(day.replied);
      column.append(svg("rect", { x, y: height - replied, width, height: replied, class: "replied" }));
      const bounced = scale(day.bounced);
      column.append(svg("rect", { x, y: height - sentHeight - bounced, width, height: bounced, class: "bounced" }));
      root.append(column);
    });
    return root;
  }

  async function loadChart() {
    let stats;
    try {
      stats = await getJson("/api/stats/daily?days=30");
    } catch (error) {
      $("email-stats").hidden = true; // signed out
      return;
    }
    const totals = Object.fromEntries(KINDS.map((k) => [k, stats.days.reduce((n, d) => n + d[k], 0)]));
    $("email-chart").replaceChildren(chart(stats.days));
    $("email-totals").textContent = `${totals.sent} sent, ${totals.replied} replied, ${totals.bounced} bounced, `
      + `${totals.unsubscribed} unsubscribed, ${totals.meetings} meetings`;
    $("email-stats").hidden = false;
  }

  async function loadEvents(draftId) {
    const list = $("event-list");
    list.replaceChildren();
    let found;
    try {
      found = await getJson(`/api/email-events?draft_id=${encodeURIComponent(draftId)}`);
    } catch (error) {
      return;
    }
    for (const event of found.events) {
      const item = document.createElement("li");
      item.className = `event ${event.kind}`;
      const when = new Date(event.occurred_at).toLocaleString();
      item.textContent = `${LABELS[event.kind] || event.kind} · ${when}`;
      list.append(item);
    }
    $("events-empty").hidden = found.events.length > 0;
  }

  document.addEventListener("inbox:draft", (event) => loadEvents(event.detail.id));
  document.addEventListener("DOMContentLoaded", () => {
    const inbox = $("inbox");
    new MutationObserver(() => {
      if (!inbox.hidden) loadChart();
      else $("email-stats").hidden = true;
    }).observe(inbox, { attributes: true, attributeFilter: ["hidden"] });
    if (!inbox.hidden) loadChart();
  });
})();
