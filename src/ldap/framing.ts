// Cuts the byte stream of one connection into LDAPMessages: reads the outer SEQUENCE tag and length,
// refuses what cannot be an LDAPMessage or is over the size cap before buffering it, and hands out whole
// messages. Memory grows with the bytes a client has actually sent, never with the length it claims.

import { BerError, readLength } from './ber.js';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Tag, 0x84 and four length bytes: the longest header this door accepts. */
const MAX_HEADER = 6;

export class Framer {
  /** The bytes being cut; `pos` is where the next message starts. */
  private head: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks received after `head`, joined only when a message spans them. */
  private tail: Buffer[] = [];
  private tailBytes = 0;

  /** The size cap of the next message; a session raises it once bound. */
  constructor(public maxMessageBytes: number) {}

  /** Bytes received and not yet handed out. */
  get buffered(): number {
    return this.head.length - this.pos + this.tailBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos === this.head.length && this.tailBytes === 0) {
      // The common case — every message so far was whole — costs no copy.
      this.head = chunk;
      this.pos = 0;
    } else {
      this.tail.push(chunk);
      this.tailBytes += chunk.length;
    }
  }

  /** The next whole message (a view, valid until the next push), or null if more bytes are needed. */
  next(): Buffer | null {
    let available = this.head.length - this.pos;
    if (available + this.tailBytes === 0) return null;
    if (available < MAX_HEADER && this.tailBytes > 0) {
      this.join();
      available = this.head.length - this.pos;
    }
    const head = this.head;
    if (head[this.pos] !== 0x30) throw new FrameError('not an LDAPMessage (expected a SEQUENCE)');
    let header: { start: number; length: number };
    try {
      header = readLength(head, this.pos + 1, head.length);
    } catch (e) {
      if (!(e instanceof BerError)) throw e;
      // A length that is only cut short may still arrive; a malformed one never becomes valid.
      if (e.truncated) return null;
      throw new FrameError(`bad message length (${e.message})`);
    }
    const total = header.start - this.pos + header.length;
    if (total > this.maxMessageBytes) {
      throw new FrameError(`message of ${total} bytes is over the limit of ${this.maxMessageBytes}`, true);
    }
    if (available + this.tailBytes < total) return null;
    if (available < total) this.join();
    const message = this.head.subarray(this.pos, this.pos + total);
    this.pos += total;
    return message;
  }

  /** Forgets everything buffered (after a protocol error: the rest of the stream is not trusted). */
  clear(): void {
    this.head = Buffer.alloc(0);
    this.pos = 0;
    this.tail = [];
    this.tailBytes = 0;
  }

  private join(): void {
    this.head = Buffer.concat([this.head.subarray(this.pos), ...this.tail]);
    this.pos = 0;
    this.tail = [];
    this.tailBytes = 0;
  }
}
