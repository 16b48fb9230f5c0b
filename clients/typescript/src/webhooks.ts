import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { components } from "./generated/schema.js";

export type StepDelivery = components["schemas"]["StepDelivery"];
export type BroadcastDelivery = components["schemas"]["BroadcastDelivery"];
export type LifecycleEvent = components["schemas"]["LifecycleEvent"];

/** What a verified request carried, told apart by its body. */
export type VerifiedWebhook =
  | { kind: "step"; id: string; timestamp: Date; payload: StepDelivery }
  | { kind: "broadcast"; id: string; timestamp: Date; payload: BroadcastDelivery }
  | { kind: "notification"; id: string; timestamp: Date; payload: LifecycleEvent[] };

/** Request headers as Node's http server, fetch or a framework hands them over. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export { WebhookVerificationError };

/**
 * Verifies a step webhook, broadcast webhook or lifecycle notification Sequencer signed (Standard Webhooks:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature`) and returns its typed body. `secret` is the value of the
 * setting the channel or notification settings name: a `whsec_<base64>` secret as it is, any other taken as its
 * own bytes, as Sequencer signs with it; several secrets (while the host rotates its own) pass when one holds.
 * `body` is the raw request body, exactly as received. Throws {@link WebhookVerificationError} unless a signature
 * holds and the timestamp is within 5 minutes of now.
 */
export function verifyWebhook(secret: string | readonly string[], body: string | Buffer, headers: WebhookHeaders):
  VerifiedWebhook {
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) {
    throw new WebhookVerificationError("no secret to verify with");
  }
  const signed = standardHeaders(headers);
  let payload: unknown;
  let failure: unknown;
  for (const candidate of secrets) {
    try {
      payload = hook(candidate).verify(body, signed);
      failure = undefined;
      break;
    } catch (error) {
      failure = error;
    }
  }
  if (failure !== undefined) {
    throw failure;
  }
  const id = signed["webhook-id"];
  const timestamp = new Date(Number(signed["webhook-timestamp"]) * 1000);
  if (Array.isArray(payload)) {
    return { kind: "notification", id, timestamp, payload: payload as LifecycleEvent[] };
  }
  const delivery = payload as Partial<StepDelivery & BroadcastDelivery>;
  if (typeof delivery !== "object" || delivery === null || delivery.deliveryId !== id) {
    throw new WebhookVerificationError("the body is not a delivery under the signed webhook-id");
  }
  return typeof delivery.broadcastId === "string"
    ? { kind: "broadcast", id, timestamp, payload: delivery as BroadcastDelivery }
    : { kind: "step", id, timestamp, payload: delivery as StepDelivery };
}

function hook(secret: string): Webhook {
  return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret, { format: "raw" });
}

function standardHeaders(headers: WebhookHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = headers instanceof Headers ? headers.get(name) : lookup(headers, name);
    if (value === null || value === undefined) {
      throw new WebhookVerificationError(`missing header ${name}`);
    }
    out[name] = value;
  }
  return out;
}

function lookup(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value.join(", ") : value;
}
