import { randomUUID } from "node:crypto";
import createClient, { mergeHeaders } from "openapi-fetch";
import type { Client, FetchResponse, HeadersOptions, MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { keyedWrites } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import { KEY_IN_USE, ProblemError } from "./problem.js";
import { backoffMs, type RetryOptions, retryPolicy, waitAfterAnswer } from "./retry.js";

export interface SequencerClientOptions {
  /** The API's root, `/api` included: `http://127.0.0.1:7071/api` locally, `https://<app>.azurewebsites.net/api`. */
  baseUrl: string;
  /** The admin key, sent as `x-functions-key`. */
  adminKey?: string;
  /** An account key (`sqk_...`), sent as `Authorization: Bearer`; opens its own account's routes only. */
  accountKey?: string;
  /** Retries of requests the service did not take (429, 503, network errors); see RetryOptions. */
  retry?: RetryOptions;
  /** Headers sent with every request. */
  headers?: HeadersOptions;
  /** The fetch to send with (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
}

/** A successful answer: the body as openapi.yaml types it (undefined when there is none) and the response. */
export interface Answer<Data> {
  data: Data;
  response: Response;
}

type InitParam<Init> = RequiredKeysOf<Init> extends never
  ? [(Init & { [key: string]: unknown })?]
  : [Init & { [key: string]: unknown }];
type DataOf<R> = R extends { data: infer D; error?: never } ? D : never;

/** One HTTP method over the routes that have it: typed path, params and body; resolves to the 2xx answer. */
export type SequencerMethod<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<Answer<DataOf<FetchResponse<paths[Path][Method] & Record<string | number, any>, Init, MediaType>>>>;

/**
 * Sequencer's HTTP API, typed from openapi.yaml. Every method resolves to the 2xx answer or rejects with a
 * {@link ProblemError} (an error status) or the network error that outlived its retries.
 */
export interface SequencerClient {
  GET: SequencerMethod<"get">;
  PUT: SequencerMethod<"put">;
  POST: SequencerMethod<"post">;
  DELETE: SequencerMethod<"delete">;
  PATCH: SequencerMethod<"patch">;
  /** The openapi-fetch client underneath: no retries, no keys added, errors returned rather than thrown. */
  readonly raw: Client<paths>;
}

const WRITES = new Set(["POST", "PUT", "DELETE", "PATCH"]);
/** Methods whose repeat has the effect of one request (RFC 9110, section 9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const KEY_HEADER = "Idempotency-Key";

/**
 * A client for Sequencer's HTTP API. Every write carries an `Idempotency-Key` (the caller's, given as the
 * `Idempotency-Key` header or header parameter, else a random UUID), the same on each of its retries. A request is
 * retried, up to `retry.attempts` in all, on 429; on 503 and on a network error when repeating it is safe (GET,
 * PUT, DELETE, or a write whose route honours the key); and on the 409 of a key still in use. A `Retry-After` is
 * waited for, else an exponential back-off with jitter.
 */
export function createSequencerClient(options: SequencerClientOptions): SequencerClient {
  const policy = retryPolicy(options.retry);
  const raw = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers: mergeHeaders(
      options.adminKey === undefined ? undefined : { "x-functions-key": options.adminKey },
      options.accountKey === undefined ? undefined : { Authorization: `Bearer ${options.accountKey}` },
      options.headers,
    ),
  });

  function method(name: "GET" | "PUT" | "POST" | "DELETE" | "PATCH") {
    return async (url: string, init: Record<string, any> = {}): Promise<Answer<unknown>> => {
      const headers = mergeHeaders(init.headers);
      const callerKey = headers.has(KEY_HEADER) || hasKey(init.params?.header);
      if (WRITES.has(name) && !callerKey) {
        headers.set(KEY_HEADER, `"${randomUUID()}"`);
      }
      const safeToRepeat = IDEMPOTENT.has(name) || keyedWrites.has(`${name} ${url}`);
      const signal: AbortSignal | undefined = init.signal ?? undefined;
      for (let attempt = 1; ; attempt++) {
        let result: { data?: unknown; error?: unknown; response: Response };
        try {
          result = await raw.request(name.toLowerCase() as "get", url as never, { ...init, headers } as never);
        } catch (error) {
          if (signal?.aborted || !safeToRepeat || attempt >= policy.attempts) {
            throw error;
          }
          await policy.sleep(backoffMs(attempt, policy), signal);
          continue;
        }
        const { response } = result;
        if (response.ok) {
          return { data: result.data, response };
        }
        const problem = ProblemError.of(response, result.error);
        const retried = response.status === 429
          || (response.status === 503 && safeToRepeat)
          || (response.status === 409 && problem.type === KEY_IN_USE);
        const wait = retried && attempt < policy.attempts ? waitAfterAnswer(attempt, response, policy) : undefined;
        if (wait === undefined) {
          throw problem;
        }
        await policy.sleep(wait, signal);
      }
    };
  }

  return {
    GET: method("GET") as SequencerMethod<"get">,
    PUT: method("PUT") as SequencerMethod<"put">,
    POST: method("POST") as SequencerMethod<"post">,
    DELETE: method("DELETE") as SequencerMethod<"delete">,
    PATCH: method("PATCH") as SequencerMethod<"patch">,
    raw,
  };
}

function hasKey(header: Record<string, unknown> | undefined): boolean {
  return Object.entries(header ?? {}).some(([name, value]) => name.toLowerCase() === "idempotency-key"
    && value !== undefined && value !== null);
}
