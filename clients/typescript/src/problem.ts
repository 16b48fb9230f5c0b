import type { components } from "./generated/schema.js";

/** An RFC 9457 problem as openapi.yaml describes it (`components.schemas.Problem`). */
export type Problem = components["schemas"]["Problem"];
/** One invalid field of a 400: `field` as a JSON path, and why. */
export type FieldError = NonNullable<Problem["errors"]>[number];

/** URN of the problem a 409 carries while a request with the same Idempotency-Key still runs. */
export const KEY_IN_USE = "urn:sequencer:problem:idempotency-key-in-use";
/** URN of the problem a 409 carries when an Idempotency-Key was first used with another request. */
export const KEY_REUSED = "urn:sequencer:problem:idempotency-key-reused";

/**
 * A request the service answered with an error status: the `application/problem+json` body as typed fields.
 * An answer that is not a problem (a proxy's HTML page, no body) still becomes one, titled by its status, with the
 * text it carried as `detail`.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** The request path the problem is about, when the service names it. */
  readonly instance?: string;
  /** 400: the first invalid field, as a JSON path (`steps[0].delay.unit`); 409: the field at odds, when one is. */
  readonly field?: string;
  /** 400: every invalid field, in order; empty otherwise. */
  readonly errors: readonly FieldError[];
  /** The answer itself, its headers (`Retry-After`, `WWW-Authenticate`) included. Its body has been read. */
  readonly response: Response;

  constructor(problem: Problem, response: Response) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.field = problem.field;
    this.errors = problem.errors ?? [];
    this.response = response;
  }

  /** The error for `response`, whose body openapi-fetch read as `body` (parsed JSON, or text). */
  static of(response: Response, body: unknown): ProblemError {
    if (isProblem(body)) {
      return new ProblemError(body, response);
    }
    const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
    return new ProblemError(
      {
        type: "about:blank",
        title: response.statusText || `HTTP ${response.status}`,
        status: response.status,
        detail: text.slice(0, 1000) || `the service answered ${response.status} without a problem body`,
      },
      response,
    );
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) {
    return false;
  }
  const p = body as Record<string, unknown>;
  return typeof p.type === "string" && typeof p.title === "string" && typeof p.status === "number"
    && typeof p.detail === "string";
}
