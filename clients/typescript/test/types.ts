// Compiled, never run, by `npm run build` (tsc -p test): the client's types follow openapi.yaml, so a wrong path,
// parameter, body field or answer field does not compile. Each @ts-expect-error fails the build if its line
// compiles after all.
import { createSequencerClient, ProblemError, verifyWebhook } from "../dist/index.js";

const sequencer = createSequencerClient({ baseUrl: "http://127.0.0.1:7071/api", adminKey: "key" });
const account = "acme";

export async function typed(): Promise<void> {
  const { data: sequence } = await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}", {
    params: { path: { account, sequenceId: "welcome" } },
    body: {
      name: "Welcome",
      steps: [{ id: "one", delay: { amount: 0, unit: "seconds" }, message: { text: "Hi" } }],
      channel: { type: "webhook", url: "https://host.example/hook" },
    },
  });
  const version: number = sequence.version;

  const { data: enrollment } = await sequencer.PUT(
    "/accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}",
    { params: { path: { account, sequenceId: "welcome", subscriberId: "psid-1" }, header: { "Idempotency-Key": "k" } } },
  );
  const status: "active" | "completed" | "left" | "paused" | string = enrollment.status;

  await sequencer.PUT("/accounts/{account}/sequences/{sequenceId}", {
    params: { path: { account, sequenceId: "welcome" } },
    body: {
      name: "Welcome",
      // @ts-expect-error: "weeks" is no delay unit
      steps: [{ id: "one", delay: { amount: 0, unit: "weeks" }, message: { text: "Hi" } }],
      channel: { type: "webhook", url: "https://host.example/hook" },
    },
  });
  // @ts-expect-error: the path needs its sequenceId
  await sequencer.GET("/accounts/{account}/sequences/{sequenceId}", { params: { path: { account } } });
  // @ts-expect-error: no such route
  await sequencer.GET("/accounts/{account}/sequence");
  // @ts-expect-error: a sequence has no field "steps" of type number
  const steps: number = sequence.steps;

  try {
    await sequencer.GET("/health");
  } catch (error) {
    if (error instanceof ProblemError) {
      const field: string | undefined = error.field;
      const reasons: string[] = error.errors.map((e) => `${e.field}: ${e.reason}`);
      void [field, reasons];
    }
  }

  const hook = verifyWebhook("whsec_x", "{}", {});
  if (hook.kind === "step") {
    const stepId: string = hook.payload.stepId;
    void stepId;
  } else if (hook.kind === "notification") {
    const types: string[] = hook.payload.map((event) => event.type);
    void types;
  }
  void [version, status, steps];
}
