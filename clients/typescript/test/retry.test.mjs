// Retries, Idempotency-Key and problem+json against a stand-in service whose answers each test scripts.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  backoffMs, createSequencerClient, KEY_IN_USE, ProblemError, retryAfterMs, retryPolicy,
} from "../dist/index.js";
import { fakeService, json, problem } from "./fake-service.mjs";

const enroll = "/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}";
const enrollParams = { path: { account: "acme", sequenceId: "welcome", subscriberId: "psid-1" } };
const enrollment = { subscriberId: "psid-1", status: "active", epoch: 1 };
const QUOTED_UUID = /^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$/;

let service;
afterEach(() => service?.close());

/** A client on the stand-in whose waits are recorded, not slept. */
function client(options = {}) {
  const waits = [];
  const sequencer = createSequencerClient({
    baseUrl: service.baseUrl,
    adminKey: "admin-key",
    ...options,
    retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...options.retry },
  });
  return { sequencer, waits };
}

describe("Retry-After", () => {
  it("reads delay-seconds", () => {
    assert.equal(retryAfterMs("3"), 3000);
    assert.equal(retryAfterMs(" 0 "), 0);
  });
  it("reads an HTTP-date as the time until it, and a past date as now", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");
    assert.equal(retryAfterMs("Thu, 03 Dec 2026 10:00:07 GMT", now), 7000);
    assert.equal(retryAfterMs("Thu, 03 Dec 2026 09:59:00 GMT", now), 0);
  });
  it("ignores what is neither", () => {
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs("soon"), undefined);
    assert.equal(retryAfterMs("-1"), undefined);
    assert.equal(retryAfterMs("1.5"), undefined);
  });
});

describe("back-off", () => {
  it("doubles from the base up to the cap, with jitter in its upper half", () => {
    const low = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    const high = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, low)), [50, 100, 200, 400, 500, 500]);
    [1, 2, 3, 4, 5, 6].forEach((n) => assert.ok(backoffMs(n, high) < 2 * backoffMs(n, low) + 1e-9));
    assert.ok(backoffMs(4, high) > 799);
  });
  it("refuses fewer than one attempt", () => {
    assert.throws(() => retryPolicy({ attempts: 0 }), RangeError);
  });
});

describe("the client", () => {
  it("retries a 503 after its Retry-After seconds, with the same Idempotency-Key", async () => {
    service = await fakeService([problem(503, { headers: { "Retry-After": "2" } }), json(201, enrollment)]);
    const { sequencer, waits } = client();
    const { data, response } = await sequencer.PUT(enroll, { params: enrollParams });
    assert.equal(response.status, 201);
    assert.equal(data.status, "active");
    assert.equal(service.requests.length, 2);
    const [first, second] = service.requests.map((r) => r.headers["idempotency-key"]);
    assert.match(first, QUOTED_UUID);
    assert.equal(second, first);
    assert.equal(waits.length, 1);
    assert.ok(waits[0] >= 2000 && waits[0] <= 2000 + 250, `waited ${waits[0]} ms`);
  });

  it("retries a 429 after its Retry-After HTTP-date, even for a write that is not safe to repeat", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 3000).toUTCString(); // 2 to 3 s from now
    service = await fakeService([problem(429, { title: "Too Many Requests", headers: { "Retry-After": at } }),
      json(201, { prefix: "3f9a1c2b7d4e", key: "sqk_3f9a1c2b7d4e_secret" })]);
    const { sequencer, waits } = client();
    const { data } = await sequencer.POST("/accounts/{account}/keys", { params: { path: { account: "acme" } } });
    assert.equal(data.prefix, "3f9a1c2b7d4e");
    assert.equal(service.requests.length, 2);
    assert.ok(waits[0] > 1900 && waits[0] <= 3000 + 250, `waited ${waits[0]} ms`);
  });

  it("backs off exponentially when no Retry-After is given, and stops after the attempts allowed", async () => {
    service = await fakeService([problem(503)]);
    const { sequencer, waits } = client({ retry: { attempts: 3, baseDelayMs: 100 } });
    const error = await sequencer.GET("/accounts/{account}/sequences/{sequenceId}",
      { params: { path: { account: "acme", sequenceId: "welcome" } } }).catch((e) => e);
    assert.ok(error instanceof ProblemError, String(error));
    assert.equal(error.status, 503);
    assert.equal(service.requests.length, 3);
    assert.deepEqual(waits, [75, 150]);
  });

  it("does not wait for a Retry-After beyond its limit", async () => {
    service = await fakeService([problem(503, { headers: { "Retry-After": "3600" } })]);
    const { sequencer } = client();
    const error = await sequencer.GET("/health").catch((e) => e);
    assert.equal(error.status, 503);
    assert.equal(error.response.headers.get("Retry-After"), "3600");
    assert.equal(service.requests.length, 1);
  });

  it("does not repeat a 503 of a write whose route ignores Idempotency-Key", async () => {
    service = await fakeService([problem(503), json(201, {})]);
    const { sequencer } = client();
    const error = await sequencer.POST("/accounts/{account}/keys", { params: { path: { account: "acme" } } })
      .catch((e) => e);
    assert.equal(error.status, 503);
    assert.equal(service.requests.length, 1);
  });

  it("resends a keyed write whose connection dropped, under the same key", async () => {
    service = await fakeService(["drop", json(200, { results: [], counts: {} })]);
    const { sequencer, waits } = client();
    const { data } = await sequencer.POST("/accounts/{account}/events", {
      params: { path: { account: "acme" } },
      body: [{ subscriberId: "psid-1", type: "clicked" }],
    });
    assert.deepEqual(data.results, []);
    assert.equal(service.requests.length, 2);
    assert.equal(service.requests[1].headers["idempotency-key"], service.requests[0].headers["idempotency-key"]);
    assert.equal(service.requests[1].body, service.requests[0].body);
    assert.equal(waits.length, 1);
  });

  it("does not resend a dropped write that is not safe to repeat", async () => {
    service = await fakeService(["drop", json(201, {})]);
    const { sequencer } = client();
    await assert.rejects(sequencer.POST("/accounts/{account}/keys", { params: { path: { account: "acme" } } }),
      TypeError);
    assert.equal(service.requests.length, 1);
  });

  it("asks again for the answer of a request whose key is still in use", async () => {
    service = await fakeService([
      problem(409, { title: "Idempotency-Key in use", headers: { "Retry-After": "1" },
        body: { type: KEY_IN_USE, field: "Idempotency-Key" } }),
      json(201, enrollment)]);
    const { sequencer, waits } = client();
    const { response } = await sequencer.PUT(enroll, { params: enrollParams });
    assert.equal(response.status, 201);
    assert.ok(waits[0] >= 1000);
  });

  it("sends the caller's Idempotency-Key, on every attempt, and a key of its own on every other write", async () => {
    service = await fakeService([problem(503), json(201, enrollment)]);
    const { sequencer } = client();
    await sequencer.PUT(enroll, { params: { ...enrollParams, header: { "Idempotency-Key": "order-42" } } });
    await sequencer.DELETE(enroll, { params: enrollParams });
    await sequencer.GET(enroll, { params: enrollParams });
    const keys = service.requests.map((r) => r.headers["idempotency-key"]);
    assert.deepEqual(keys.slice(0, 2), ["order-42", "order-42"]);
    assert.match(keys[2], QUOTED_UUID);
    assert.equal(keys[3], undefined, "a read carries no key");
  });

  it("types a problem+json answer: status, type, title, detail, field and errors", async () => {
    const errors = [{ field: "steps[0].delay.unit", reason: "must be one of seconds, minutes, hours, days" }];
    service = await fakeService([problem(400, { title: "Request has invalid fields", body: {
      type: "urn:sequencer:problem:validation", field: errors[0].field, errors,
      instance: "/api/accounts/acme/sequences/welcome" } })]);
    const { sequencer } = client();
    const error = await sequencer.GET("/accounts/{account}/sequences/{sequenceId}",
      { params: { path: { account: "acme", sequenceId: "welcome" } } }).catch((e) => e);
    assert.ok(error instanceof ProblemError);
    assert.equal(error.name, "ProblemError");
    assert.deepEqual({ status: error.status, type: error.type, title: error.title, field: error.field,
      instance: error.instance }, { status: 400, type: "urn:sequencer:problem:validation",
      title: "Request has invalid fields", field: "steps[0].delay.unit", instance: "/api/accounts/acme/sequences/welcome" });
    assert.deepEqual(error.errors, errors);
    assert.equal(service.requests.length, 1, "a 400 is not retried");
  });

  it("makes a problem of an answer that is none, such as a proxy's page", async () => {
    service = await fakeService([() => ({ status: 502, headers: { "content-type": "text/html" }, body: "<h1>Bad gateway</h1>" })]);
    const { sequencer } = client();
    const error = await sequencer.GET("/health").catch((e) => e);
    assert.ok(error instanceof ProblemError);
    assert.deepEqual([error.status, error.type, error.detail, error.field], [502, "about:blank", "<h1>Bad gateway</h1>", undefined]);
    assert.deepEqual(error.errors, []);
  });

  it("sends the admin key as x-functions-key, an account key as a bearer token", async () => {
    service = await fakeService([json(200, { status: "ok" })]);
    await client().sequencer.GET("/health");
    await createSequencerClient({ baseUrl: service.baseUrl, accountKey: "sqk_abc_def" }).GET("/health");
    assert.equal(service.requests[0].headers["x-functions-key"], "admin-key");
    assert.equal(service.requests[1].headers.authorization, "Bearer sqk_abc_def");
    assert.equal(service.requests[1].headers["x-functions-key"], undefined);
  });
});
