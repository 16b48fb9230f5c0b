// Verifies recorded deliveries with the Standard Webhooks library for JavaScript (the standardwebhooks package), an
// implementation of the specification independent of Sequencer's signer. Used by StandardWebhooksIT.
// stdin:  {"checks": [{"label": "...", "body": "<raw body>", "headers": {"webhook-id": ...}, "secret": "...",
//          "raw": false}]}   raw: the secret is a plain one, keyed on its own bytes (the library's {format: "raw"})
// stdout: [{"label": "...", "ok": true|false, "error": "..."}], one per check, in order.
'use strict';
const { Webhook } = require('standardwebhooks');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  const { checks } = JSON.parse(input);
  const results = checks.map((check) => {
    try {
      const hook = check.raw ? new Webhook(check.secret, { format: 'raw' }) : new Webhook(check.secret);
      hook.verify(check.body, check.headers);
      return { label: check.label, ok: true };
    } catch (e) {
      return { label: check.label, ok: false, error: String(e && e.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
