// A diagnostic, not a product: the cheapest LDAP "server" Node can be — it answers every BindRequest
// with success, checking nothing, straight from the socket's data event. Run under the same load client
// as slapd and Latchkey, it shows how many binds per second one Node process can answer on this machine
// at all (read, frame, write, with the client beside it), i.e. how much of Latchkey's figure is Node's
// I/O and how much is Latchkey's own work.
//
// Listens on 127.0.0.1 with a port picked by the kernel, prints "listening on PORT", stops on SIGTERM.

import { createServer } from 'node:net';
import { encodeBindResponse, messageLength, readMessageId } from './ldap-wire.js';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const n = messageLength(buf);
      if (n === 0) break;
      socket.write(encodeBindResponse(readMessageId(buf.subarray(0, n)), 0));
      buf = buf.subarray(n);
    }
    pending = buf.length > 0 ? buf : null;
  });
  socket.on('error', () => {});
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  process.exit(0);
});
