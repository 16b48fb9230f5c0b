// A minimal receiver for Sequencer: step webhooks at POST /hooks/steps, lifecycle notifications at
// POST /hooks/events. Each request is verified (Standard Webhooks), taken once, answered at once and worked on
// afterwards. Configure with PORT (0 picks a free one) and WEBHOOK_SECRET (the value of the app setting the
// channel's secretSetting names).
import express from "express";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

const port = Number(process.env.PORT ?? 3000);
const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error("WEBHOOK_SECRET is not set");
  process.exit(1);
}
// A whsec_ secret goes to the library as it is; any other is keyed with its own bytes (docs/SECURITY.md).
const webhook = secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret, { format: "raw" });

// Ids already taken, oldest first. A real host inserts each id under a unique key of its database, in the
// transaction that stores the work, so a restart or a second instance does not take it again; this set is
// bounded and forgets on restart.
const SEEN_MAX = 10_000;
const seen = new Set();
function firstTime(id) {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value);
  return true;
}

// Work runs after the answer: Sequencer waits for it (20 s at most for notifications), and a slow answer only
// delays its other deliveries. A real host puts the work in a durable queue or table before answering.
const QUEUE_MAX = 1_000;
const queue = [];
let draining = false;
function enqueue(job) {
  if (queue.length >= QUEUE_MAX) return false;
  queue.push(job);
  if (!draining) {
    draining = true;
    setImmediate(drain);
  }
  return true;
}
async function drain() {
  while (queue.length > 0) {
    const job = queue.shift();
    try {
      await job();
    } catch (error) {
      console.error("work failed:", error);
    }
  }
  draining = false;
}

// Sequencer's answer classes (docs/CHANNELS.md, "Webhook deliveries"): 2xx is delivered; 408, 429 and 5xx are
// retried with back-off (Retry-After honoured); any other status is a step failed for good, while lifecycle
// notifications are kept and sent again whatever the status.
function verify(req, res) {
  try {
    // The signature covers the bytes as sent: verify the raw body, before any JSON parsing.
    return webhook.verify(req.body, req.headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      // Not from Sequencer, altered, or older than 5 minutes: never worth a retry.
      res.status(401).type("text/plain").send("signature not verified\n");
    } else {
      res.status(400).type("text/plain").send("body is not JSON\n");
    }
    return undefined;
  }
}

function busy(res, ids) {
  ids.forEach((id) => seen.delete(id)); // taken on the retry instead
  res.set("Retry-After", "30").status(503).type("text/plain").send("busy, try again\n");
}

const app = express();
// Raw bytes whatever the content type, up to 1 MiB (larger answers 413, which Sequencer does not retry).
const rawBody = express.raw({ type: () => true, limit: "1mb" });

app.post("/hooks/steps", rawBody, (req, res) => {
  const delivery = verify(req, res);
  if (delivery === undefined) return;
  // webhook-id is the step's deliveryId: the same on every retry of the same step.
  const id = req.get("webhook-id");
  if (!firstTime(id)) {
    console.log(`duplicate ${id}`);
    return res.sendStatus(200);
  }
  const job = async () => {
    // Your work: send delivery.message to delivery.subscriberId on your platform, then report "delivered".
    console.log(`worked ${id} ${JSON.stringify(delivery.message)}`);
  };
  if (!enqueue(job)) return busy(res, [id]);
  console.log(`accepted ${id} step ${delivery.sequenceId}/${delivery.stepId} for ${delivery.subscriberId}`);
  res.sendStatus(202);
});

app.post("/hooks/events", rawBody, (req, res) => {
  const events = verify(req, res);
  if (events === undefined) return;
  if (!Array.isArray(events) || !events.every((event) => typeof event?.eventId === "string")) {
    return res.status(400).type("text/plain").send("expected an array of events\n");
  }
  const id = req.get("webhook-id");
  // A resend may group events differently (under another webhook-id), so each event is taken once by eventId.
  const fresh = events.filter((event) => firstTime(event.eventId));
  if (fresh.length === 0) {
    console.log(`duplicate ${id}`);
    return res.sendStatus(200);
  }
  const job = async () => {
    // Your work: store each event; order an enrollment's events by their sequence number.
    for (const event of fresh) console.log(`worked ${event.eventId} ${event.type} ${event.subscriberId}`);
  };
  if (!enqueue(job)) return busy(res, fresh.map((event) => event.eventId));
  console.log(`accepted ${id} events ${fresh.map((event) => event.eventId).join(",")}`);
  res.sendStatus(202);
});

// Loopback only: put a TLS-terminating proxy in front of it to take deliveries from outside.
const server = app.listen(port, "127.0.0.1", (error) => {
  if (error) throw error;
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
