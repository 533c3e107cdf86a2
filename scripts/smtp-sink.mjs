#!/usr/bin/env node
// SMTP capture server for the demo and the benchmark: accepts every message on 127.0.0.1 and keeps it as
// DIR/<time>-<n>.eml, with its envelope as one line of DIR/envelopes.jsonl. Nothing is relayed anywhere.
//   node scripts/smtp-sink.mjs --port 2525 --dir /var/tmp/reform-inbox-root/smtp/outbox
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2525' },
    dir: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values.dir) {
  console.error('usage: smtp-sink.mjs --port PORT --dir DIR');
  process.exit(64);
}
const dir = values.dir;
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('error', callback);
    stream.on('end', () => {
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++count).padStart(5, '0')}`;
      const envelope = {
        file: `${name}.eml`,
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        receivedAt: new Date().toISOString(),
      };
      // Write under a temporary name, then rename: a reader never sees half a message. One file per mail
      // (not a second one for the envelope): under a flood, creating files is most of what a sink costs.
      writeFileSync(join(dir, `${name}.eml.tmp`), Buffer.concat(chunks));
      renameSync(join(dir, `${name}.eml.tmp`), join(dir, `${name}.eml`));
      appendFileSync(join(dir, 'envelopes.jsonl'), `${JSON.stringify(envelope)}\n`);
      callback();
    });
  },
});
server.on('error', (err) => console.error('smtp sink error:', err.message));
server.listen(Number(values.port), values.host, () =>
  console.log(`smtp sink on ${values.host}:${values.port}, writing to ${dir}`),
);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
