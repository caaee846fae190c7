import { open } from 'node:fs/promises';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';

/** A minimal read-only ImageReader over one raw file, for file-system tests independent of the container layer. */
export async function openRawForTest(file: string): Promise<ImageReader> {
  const fh = await open(file, 'r');
  const { size } = await fh.stat();
  return {
    size,
    description: `raw test image ${file}`,
    async read(offset: number, length: number): Promise<Buffer> {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n); // filled below; a short read returns only the filled part
      let done = 0;
      while (done < n) {
        const { bytesRead } = await fh.read(buf, done, n - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? buf : buf.subarray(0, done);
    },
    close: () => fh.close(),
  };
}
