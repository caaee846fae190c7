// Child process of the images bench: lists every file of an ext4/XFS image, or reads one file out of
// an ext4 image, with Caseward's readers; prints one JSON line with what it counted.
import { openExt4, walk } from '../../main/core/images/fs-ext4/index.js';
import { openXfs } from '../../main/core/images/fs-xfs/xfs.js';
import type { FileSystem } from '../../main/core/images/fs-types.js';
import { openRawForTest } from '../support/raw-image-reader.js';

const CHUNK = 4 * 1024 * 1024;

async function main(): Promise<void> {
  const [mode, img, inodeArg] = process.argv.slice(2);
  if (!mode || !img) throw new Error('usage: images-runner list-ext4|list-xfs|read IMAGE [INODE]');
  const reader = await openRawForTest(img);
  const fs: FileSystem = mode === 'list-xfs' ? await openXfs(reader) : await openExt4(reader);
  try {
    if (mode === 'read') {
      const inode = Number(inodeArg);
      const { size } = await fs.stat(inode);
      let bytes = 0;
      while (bytes < size) {
        const chunk = await fs.read(inode, bytes, Math.min(CHUNK, size - bytes));
        if (chunk.length === 0) break;
        bytes += chunk.length;
      }
      console.log(JSON.stringify({ bytes }));
    } else {
      let entries = 0;
      let files = 0;
      let errors = 0;
      for await (const item of walk(fs)) {
        if (item.kind === 'entry') {
          entries++;
          if (item.entry.type === 'file') files++;
        } else errors++;
      }
      console.log(JSON.stringify({ entries, files, errors }));
    }
  } finally {
    await fs.close();
    await reader.close();
  }
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
