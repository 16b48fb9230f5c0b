export { createSequencerClient } from "./client.js";
export type { Answer, SequencerClient, SequencerClientOptions, SequencerMethod } from "./client.js";
export { KEY_IN_USE, KEY_REUSED, ProblemError } from "./problem.js";
export type { FieldError, Problem } from "./problem.js";
export { backoffMs, retryAfterMs, retryPolicy, waitAfterAnswer } from "./retry.js";
export type { RetryOptions, RetryPolicy } from "./retry.js";
export { verifyWebhook, WebhookVerificationError } from "./webhooks.js";
export type { BroadcastDelivery, LifecycleEvent, StepDelivery, VerifiedWebhook, WebhookHeaders } from "./webhooks.js";
export type { components, operations, paths } from "./generated/schema.js";

import type { components } from "./generated/schema.js";

/** The bodies a host sends and reads most, by their openapi.yaml names. */
export type SequenceDefinition = components["schemas"]["SequenceDefinition"];
export type Sequence = components["schemas"]["Sequence"];
export type Enrollment = components["schemas"]["Enrollment"];
export type SubscriberEvent = components["schemas"]["SubscriberEvent"];
export type SequenceReport = components["schemas"]["SequenceReport"];
