/** How the client retries a request the service did not take: bounded attempts, exponential back-off, jitter. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4); 1 turns retries off. */
  attempts?: number;
  /** The first back-off, doubled on each retry (default 250 ms). */
  baseDelayMs?: number;
  /** The longest back-off (default 10 s). */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once (default 60 s). */
  maxRetryAfterMs?: number;
  /** Waits between attempts (default: a timer). Given, for example, to record the waits. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = {
    attempts: options.attempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be an integer of at least 1, was ${policy.attempts}`);
  }
  return policy;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed without a `Retry-After`: half the capped exponential
 * delay plus a random part of the other half, so clients that failed together do not come back together.
 */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return cap / 2 + policy.random() * (cap / 2);
}

/**
 * `Retry-After` (RFC 9110, section 10.2.3) in milliseconds from `now`: delay-seconds or an HTTP-date (a date in
 * the past is 0). Undefined when the header is absent or neither form.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) {
    return undefined;
  }
  const value = header.trim();
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) || !/[A-Za-z]/.test(value) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retrying after an answer, or undefined when it is not retried: the `Retry-After` the service
 * asked for plus a little jitter (never earlier), else the back-off; nothing when it asks for more than
 * `maxRetryAfterMs`.
 */
export function waitAfterAnswer(attempt: number, response: Response, policy: RetryPolicy, now = Date.now()):
  number | undefined {
  const asked = retryAfterMs(response.headers.get("Retry-After"), now);
  if (asked === undefined) {
    return backoffMs(attempt, policy);
  }
  if (asked > policy.maxRetryAfterMs) {
    return undefined;
  }
  return asked + policy.random() * policy.baseDelayMs;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
