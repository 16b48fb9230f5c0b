// verifyWebhook on requests signed here with the Standard Webhooks library, as Sequencer signs them.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { Webhook } from "standardwebhooks";
import { verifyWebhook, WebhookVerificationError } from "../dist/index.js";

const RAW = "it-plain-secret-0123456789";
const WHSEC = `whsec_${randomBytes(32).toString("base64")}`;
const step = {
  deliveryId: "dlv_0181c3a5e4b24d7f9a6b8c0d2e4f6a8b", account: "acme", sequenceId: "welcome", stepId: "tips",
  subscriberId: "psid-123", message: { text: "Three tips" }, dueAt: "2026-11-29T07:21:02.684Z", attempt: 1,
};

function signer(secret) {
  return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret, { format: "raw" });
}

/** Headers as Sequencer sends them: one signature per secret, the first secret's first. */
function signed(body, id, secrets, at = new Date()) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => signer(s).sign(id, at, body)).join(" "),
  };
}

describe("verifyWebhook", () => {
  it("verifies a step webhook signed with a plain secret and returns its typed body", () => {
    const body = JSON.stringify(step);
    const hook = verifyWebhook(RAW, body, signed(body, step.deliveryId, [RAW]));
    assert.equal(hook.kind, "step");
    assert.equal(hook.id, step.deliveryId);
    assert.deepEqual(hook.payload, step);
    assert.ok(Math.abs(hook.timestamp.getTime() - Date.now()) < 5 * 60_000);
  });

  it("verifies a whsec_ secret, a Buffer body and Headers", () => {
    const body = JSON.stringify(step);
    const headers = new Headers(signed(body, step.deliveryId, [WHSEC]));
    assert.equal(verifyWebhook(WHSEC, Buffer.from(body), headers).payload.stepId, "tips");
  });

  it("tells a broadcast delivery and a notification batch apart", () => {
    const { sequenceId, stepId, ...rest } = step;
    const broadcast = JSON.stringify({ ...rest, broadcastId: "friday-sale" });
    assert.equal(verifyWebhook(RAW, broadcast, signed(broadcast, step.deliveryId, [RAW])).kind, "broadcast");
    const events = [{ eventId: `evt_${"a".repeat(32)}`, type: "enrollment.started", sequence: 1,
      occurredAt: "2026-11-28T07:20:59.299Z", epoch: 1, account: "acme", sequenceId, subscriberId: "psid-123" }];
    const batch = JSON.stringify(events);
    const hook = verifyWebhook(RAW, batch, signed(batch, `ntf_${"b".repeat(32)}`, [RAW]));
    assert.equal(hook.kind, "notification");
    assert.deepEqual(hook.payload, events);
  });

  it("verifies during a rotation with either secret, and with the host's old and new secret", () => {
    const body = JSON.stringify(step);
    const headers = signed(body, step.deliveryId, [WHSEC, RAW]);
    assert.equal(verifyWebhook(WHSEC, body, headers).kind, "step");
    assert.equal(verifyWebhook(RAW, body, headers).kind, "step");
    assert.equal(verifyWebhook(["not-this-one-0123456789", RAW], body, signed(body, step.deliveryId, [RAW])).kind,
      "step");
  });

  it("refuses a changed body, another secret, an old timestamp or a missing signature", () => {
    const body = JSON.stringify(step);
    const headers = signed(body, step.deliveryId, [RAW]);
    const refused = (secret, b, h) => assert.throws(() => verifyWebhook(secret, b, h), WebhookVerificationError);
    refused(RAW, body.replace("tips", "tipz"), headers);
    refused("another-secret-0123456789", body, headers);
    refused(WHSEC, body, headers);
    refused(RAW, body, signed(body, step.deliveryId, [RAW], new Date(Date.now() - 10 * 60_000)));
    const { "webhook-signature": _, ...unsigned } = headers;
    refused(RAW, body, unsigned);
    refused([], body, headers);
  });

  it("refuses a delivery whose deliveryId is not the signed webhook-id", () => {
    const body = JSON.stringify(step);
    assert.throws(() => verifyWebhook(RAW, body, signed(body, `dlv_${"0".repeat(32)}`, [RAW])),
      /not a delivery under the signed webhook-id/);
  });

  it("reads headers as Node's http server gives them, lower-cased or repeated", () => {
    const body = JSON.stringify(step);
    const { "webhook-id": id, ...rest } = signed(body, step.deliveryId, [RAW]);
    assert.equal(verifyWebhook(RAW, body, { ...rest, "Webhook-Id": [id] }).kind, "step");
  });
});
