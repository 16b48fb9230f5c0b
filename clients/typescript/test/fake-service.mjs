// A stand-in for the service on 127.0.0.1 (port 0), answering each request with the next of `answers`: a function
// (request, body) => {status, headers, body}, or "drop" to close the connection without an answer.
import { createServer } from "node:http";

export async function fakeService(answers) {
  const requests = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) {
      body += chunk;
    }
    requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const answer = answers[Math.min(requests.length, answers.length) - 1];
    if (answer === "drop") {
      request.socket.destroy();
      return;
    }
    const { status, headers = {}, body: out = "" } = answer(request, body);
    response.writeHead(status, headers);
    response.end(typeof out === "string" ? out : JSON.stringify(out));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/api`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

export const problem = (status, fields = {}) => () => ({
  status,
  headers: { "content-type": "application/problem+json", ...fields.headers },
  body: { type: "about:blank", title: fields.title ?? "Service Unavailable", status, detail: "try again", ...fields.body },
});

export const json = (status, body) => () => ({ status, headers: { "content-type": "application/json" }, body });
