/**
 * Third-party browser files compressed once, not per request: the 3.5 MB explorer script
 * costs a third of a second of CPU to gzip, so each file is read and compressed (brotli and
 * gzip) on its first request and kept in memory, with a strong ETag from its content.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

interface Compressed {
  readonly type: string;
  readonly etag: string;
  readonly identity: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

export class VendorCache {
  private readonly files = new Map<string, Promise<Compressed>>();

  constructor(private readonly cacheControl: string) {}

  private load(path: string): Promise<Compressed> {
    let found = this.files.get(path);
    if (found === undefined) {
      found = (async () => {
        const identity = await readFile(path);
        const [br, gz] = await Promise.all([
          brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
          gzipped(identity, { level: 6 }),
        ]);
        const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
        return { type: TYPES[extname(path)] ?? 'application/octet-stream', etag, identity, br, gzip: gz };
      })();
      // A failed read is not kept: the next request tries again.
      found.catch(() => this.files.delete(path));
      this.files.set(path, found);
    }
    return found;
  }

  async send(req: Request, res: Response, path: string): Promise<void> {
    const file = await this.load(path);
    res.set({ 'cache-control': this.cacheControl, etag: file.etag, vary: 'Accept-Encoding', 'content-type': file.type });
    if (req.headers['if-none-match'] === file.etag) {
      res.status(304).end();
      return;
    }
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    const body = encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.identity;
    if (encoding === 'br' || encoding === 'gzip') res.set('content-encoding', encoding);
    res.end(body);
  }
}
