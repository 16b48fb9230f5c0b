// The client against a running Sequencer (TypeScriptClientIT serves one on the local host and sets):
//   SEQUENCER_ORIGIN           e.g. http://127.0.0.1:7071 (the API under /api)
//   SEQUENCER_ADMIN_KEY        the admin key
//   SEQUENCER_ACCOUNT          an account of its own
//   SEQUENCER_SECRET_SETTING   the app setting that holds the account's webhook secret, and
//   SEQUENCER_SECRET           its value
// Without them these tests are skipped, and the IT fails on a skipped test.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createSequencerClient, KEY_REUSED, ProblemError, verifyWebhook } from "../dist/index.js";

const env = process.env;
const missing = ["SEQUENCER_ORIGIN", "SEQUENCER_ADMIN_KEY", "SEQUENCER_ACCOUNT", "SEQUENCER_SECRET_SETTING",
  "SEQUENCER_SECRET"].filter((name) => !env[name]);
const skip = missing.length > 0 && `no Sequencer to run against: ${missing.join(", ")} not set`;
const account = env.SEQUENCER_ACCOUNT;

/** A host's receiver on 127.0.0.1: verifies each request with verifyWebhook, keeps what verified, answers 204. */
async function receiver(secret) {
  const verified = [];
  const refused = [];
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) {
      chunks.push(chunk);
    }
    try {
      verified.push({ path: request.url, ...verifyWebhook(secret, Buffer.concat(chunks), request.headers) });
      response.writeHead(204).end();
    } catch (error) {
      refused.push(`${request.url}: ${error.message}`);
      response.writeHead(401).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, verified, refused, server };
}

async function eventually(what, check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await check();
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      assert.fail(`not within ${seconds} s: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("against the local host", { skip }, () => {
  let sequencer;
  let hooks;
  before(async () => {
    sequencer = createSequencerClient({ baseUrl: `${env.SEQUENCER_ORIGIN}/api`, adminKey: env.SEQUENCER_ADMIN_KEY });
    hooks = await receiver(env.SEQUENCER_SECRET);
  });
  after(() => hooks?.server.close());

  it("defines, enrolls, receives the signed webhook, reports an event and reads the delivery in the report",
    async () => {
      const sequenceId = "welcome";
      const subscriberId = `psid-${randomUUID().slice(0, 8)}`;
      await sequencer.PUT("/accounts/{account}/notifications", {
        params: { path: { account } },
        body: { url: `${hooks.url}/notices`, secretSetting: env.SEQUENCER_SECRET_SETTING },
      });
      const { data: sequence, response: defined } = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}", {
        params: { path: { account, sequenceId } },
        body: {
          name: "Welcome series",
          steps: [
            { id: "welcome", delay: { amount: 0, unit: "seconds" }, message: { text: "Welcome aboard!" } },
            { id: "tips", delay: { amount: 1, unit: "days" }, message: { text: "Three tips" } },
          ],
          channel: { type: "webhook", url: `${hooks.url}/hook`, secretSetting: env.SEQUENCER_SECRET_SETTING },
        },
      });
      assert.equal(defined.status, 201);
      assert.equal(sequence.version, 1);

      const { data: enrollment, response: enrolled } = await sequencer.PUT(
        "/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}",
        { params: { path: { account, sequenceId, subscriberId } } });
      assert.equal(enrolled.status, 201);
      assert.equal(enrollment.status, "active");

      const hook = await eventually("the signed step webhook", () => hooks.verified.find(
        (h) => h.kind === "step" && h.payload.subscriberId === subscriberId));
      assert.equal(hook.path, "/hook");
      assert.deepEqual([hook.payload.account, hook.payload.sequenceId, hook.payload.stepId, hook.payload.message],
        [account, sequenceId, "welcome", { text: "Welcome aboard!" }]);
      assert.match(hook.payload.deliveryId, /^dlv_[0-9a-f]{32}$/);

      const { data: reported } = await sequencer.POST("/accounts/{account}/events", {
        params: { path: { account } },
        body: [{ subscriberId, type: "clicked", deliveryId: hook.payload.deliveryId }],
      });
      assert.deepEqual(reported.results.map((r) => r.status), ["applied"], JSON.stringify(reported));

      const welcome = await eventually("the delivery and the click in the report", async () => {
        const { data: report } = await sequencer.GET("/accounts/{account}/sequences/{sequenceId}/report",
          { params: { path: { account, sequenceId } } });
        const step = report.steps.find((s) => s.stepId === "welcome");
        return step?.sent === 1 && step.clicked === 1 ? step : undefined;
      });
      assert.equal(welcome.position, 1);

      const notices = await eventually("the signed lifecycle notifications", () => {
        const types = hooks.verified.filter((h) => h.kind === "notification").flatMap((h) => h.payload)
          .filter((event) => event.subscriberId === subscriberId).map((event) => event.type);
        return types.includes("enrollment.started") && types.includes("step.sent") ? types : undefined;
      });
      assert.ok(notices.indexOf("enrollment.started") < notices.indexOf("step.sent"), notices.join());
      assert.deepEqual(hooks.refused, []);
    });

  it("answers a bad field with a ProblemError naming it", async () => {
    const error = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}", {
      params: { path: { account, sequenceId: "bad" } },
      body: {
        name: "Bad",
        steps: [{ id: "one", delay: { amount: 1, unit: "weeks" }, message: { text: "Hi" } }],
        channel: { type: "webhook", url: `${hooks.url}/hook` },
      },
    }).catch((e) => e);
    assert.ok(error instanceof ProblemError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.type, "urn:sequencer:problem:validation");
    assert.equal(error.field, "steps[0].delay.unit");
    assert.deepEqual(error.errors.map((e) => e.field), ["steps[0].delay.unit"]);
    assert.match(error.detail, /seconds, minutes, hours, days/);
  });

  it("replays a keyed write instead of running it twice, and refuses the key for another request", async () => {
    const key = randomUUID();
    const path = { account, sequenceId: "welcome", subscriberId: `psid-${randomUUID().slice(0, 8)}` };
    const params = { path, header: { "Idempotency-Key": key } };
    const first = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}",
      { params });
    const again = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}",
      { params });
    assert.equal(first.response.status, 201);
    assert.equal(first.response.headers.get("Idempotent-Replayed"), null);
    assert.equal(again.response.status, 201);
    assert.equal(again.response.headers.get("Idempotent-Replayed"), "true");
    assert.deepEqual(again.data, first.data);

    const reused = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}",
      { params: { ...params, path: { ...path, subscriberId: `${path.subscriberId}-other` } } }).catch((e) => e);
    assert.ok(reused instanceof ProblemError, String(reused));
    assert.deepEqual([reused.status, reused.type, reused.field], [409, KEY_REUSED, "Idempotency-Key"]);
  });

  it("runs the Node part of docs/TOUR.md as written, printing what its comments show", async () => {
    const tour = await readFile(new URL("../../../docs/TOUR.md", import.meta.url), "utf8");
    const blocks = [...tour.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(blocks.length, 1, "one js block in docs/TOUR.md");
    const expected = [...blocks[0].matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]);
    assert.ok(expected.length >= 3, "the block shows what it prints");
    const dir = await mkdtemp(join(tmpdir(), "sequencer-tour-"));
    await mkdir(join(dir, ".sequencer"));
    await writeFile(join(dir, ".sequencer", "admin.key"), `${env.SEQUENCER_ADMIN_KEY}\n`);
    const script = blocks[0].replaceAll("http://127.0.0.1:7071", env.SEQUENCER_ORIGIN)
      .replace('"@sequencer/client"', JSON.stringify(new URL("../dist/index.js", import.meta.url).href));
    await writeFile(join(dir, "tour.mjs"), script);
    const { stdout } = await promisify(execFile)(process.execPath, ["tour.mjs"], { cwd: dir, timeout: 120_000 });
    assert.deepEqual(stdout.trimEnd().split("\n"), expected);
  });
});
