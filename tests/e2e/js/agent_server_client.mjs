// Drives `serve` with the official JS SDK (@langchain/langgraph-sdk) and prints what it saw as
// one JSON object; tests/e2e/test_js_sdk.py runs it with node and checks the result.
// Reads SALES_AGENT_URL and SALES_AGENT_KEY from the environment.
import { Client } from "@langchain/langgraph-sdk";

const client = new Client({
  apiUrl: process.env.SALES_AGENT_URL,
  apiKey: process.env.SALES_AGENT_KEY,
});
const TRIGGER = { trigger: { source: "gmail", gmail_thread_id: "thr-northwind-001" } };
const CONTEXT = { now: "2026-12-01T08:00:00+00:00" };
const seen = {};

async function collect(stream) {
  const parts = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const [assistant] = await client.assistants.search({ graphId: "followup" });
seen.assistant = assistant.graph_id;
const drawn = await client.assistants.getGraph(assistant.assistant_id, { xray: true });
seen.graphHasApproval = drawn.nodes.some((node) => node.id === "await_approval");
seen.schemasGraph = (await client.assistants.getSchemas(assistant.assistant_id)).graph_id;
seen.subgraphs = await client.assistants.getSubgraphs(assistant.assistant_id);

// Threads: create, update, search with filters, delete.
const thread = await client.threads.create({ metadata: { lead: "js" } });
const spare = await client.threads.create({ metadata: { lead: "js" } });
seen.updated = (await client.threads.update(spare.thread_id, { metadata: { extra: 1 } })).metadata;
const waited = await client.runs.wait(thread.thread_id, assistant.assistant_id, {
  input: TRIGGER,
  context: CONTEXT,
});
seen.interruptShape = Object.keys(waited.__interrupt__[0].value).sort();
seen.interrupted = (
  await client.threads.search({ metadata: { lead: "js" }, status: "interrupted" })
).map((t) => t.thread_id === thread.thread_id);
const state = await client.threads.getState(thread.thread_id);
seen.byValues = (
  await client.threads.search({ values: { gmail_draft_id: state.values.gmail_draft_id } })
).map((t) => t.thread_id === thread.thread_id);
await client.threads.delete(spare.thread_id);
seen.afterDelete = (await client.threads.search({ metadata: { lead: "js" } })).length;

// State at checkpoints and history pages.
const history = await client.threads.getHistory(thread.thread_id, { limit: 100 });
const older = history[2];
const byId = await client.threads.getState(thread.thread_id, older.checkpoint.checkpoint_id);
const byBody = await client.threads.getState(thread.thread_id, older.checkpoint);
seen.checkpointsAgree =
  byId.checkpoint.checkpoint_id === older.checkpoint.checkpoint_id &&
  byBody.checkpoint.checkpoint_id === older.checkpoint.checkpoint_id;
const page = await client.threads.getHistory(thread.thread_id, {
  limit: 2,
  before: history[0].checkpoint,
});
seen.pageIsNext =
  page.map((s) => s.checkpoint.checkpoint_id).join() ===
  history.slice(1, 3).map((s) => s.checkpoint.checkpoint_id).join();

// A fork before the writer, run with no input: it resumes there.
const beforeWriter = history.find((s) => s.next.length === 1 && s.next[0] === "write_draft");
await client.threads.updateState(thread.thread_id, {
  values: null,
  asNode: "__copy__",
  checkpointId: beforeWriter.checkpoint.checkpoint_id,
});
const forkParts = await collect(
  client.runs.stream(thread.thread_id, assistant.assistant_id, {
    input: null,
    context: CONTEXT,
    streamMode: ["updates", "debug", "checkpoints"],
  }),
);
seen.forkRan = forkParts.filter((p) => p.event === "updates").flatMap((p) => Object.keys(p.data));
seen.forkEvents = [...new Set(forkParts.map((p) => p.event))].sort();
const checkpoints = forkParts.filter((p) => p.event === "checkpoints").map((p) => p.data);
seen.checkpointChain = checkpoints
  .slice(1)
  .every((c, i) => c.parent_checkpoint.checkpoint_id === checkpoints[i].checkpoint.checkpoint_id);
const forkRunId = forkParts[0].data.run_id;
const rejoined = await collect(client.runs.joinStream(thread.thread_id, forkRunId));
seen.rejoinSameEvents = rejoined.length === forkParts.length;

// Approve with the decisions shape; a background run, joined.
const resume = await client.runs.create(thread.thread_id, assistant.assistant_id, {
  command: { resume: { decisions: [{ type: "approve" }] } },
});
seen.joined = (await client.runs.join(thread.thread_id, resume.run_id)).outcome;
seen.runStatus = (await client.runs.get(thread.thread_id, resume.run_id)).status;
seen.runsListed = (await client.runs.list(thread.thread_id)).length;

// Cancel a streamed run at its next step boundary.
const victim = await client.threads.create();
const iterator = client.runs
  .stream(victim.thread_id, assistant.assistant_id, { input: TRIGGER, context: CONTEXT })
  [Symbol.asyncIterator]();
const first = (await iterator.next()).value;
await client.runs.cancel(victim.thread_id, first.data.run_id, true, "interrupt");
seen.cancelled = (await client.runs.get(victim.thread_id, first.data.run_id)).status;
await iterator.return?.();

// The store, in the caller's namespace.
await client.store.putItem(["js"], "k1", { text: "hello" });
seen.item = (await client.store.getItem(["js"], "k1")).value;
seen.searched = (await client.store.searchItems(["js"])).items.length;
seen.namespaces = (await client.store.listNamespaces()).namespaces;
await client.store.deleteItem(["js"], "k1");
seen.afterItemDelete = await client.store.getItem(["js"], "k1").catch((e) => e.status ?? String(e));

console.log(JSON.stringify(seen));
