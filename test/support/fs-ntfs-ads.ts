// NTFS images with alternate data streams (mkntfs + ntfscp -N), and The Sleuth Kit's view of a file's streams.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** A file written into the image: its main content and its named streams. */
export interface AdsFile {
  main: Buffer;
  streams: Map<string, Buffer>;
}

/** What a browser downloads from the internet gets this stream; examiners look for it first. */
export const ZONE_IDENTIFIER = Buffer.from('[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://example.invalid/\r\nHostUrl=https://example.invalid/tool.exe\r\n');

/**
 * An 8 MiB NTFS image (ntfscp makes no folders, so every file is in the root): `/tool.exe` with a resident Zone.Identifier and a 150 KB
 * non-resident "payload" stream; `/notes.txt` with 12 streams, which forces an $ATTRIBUTE_LIST so
 * some streams live in an extension record; `/plain.txt` with none. Keys of `files` are paths.
 */
export function buildNtfsWithStreams(dir: string, name = 'ads.img'): { img: string; files: Map<string, AdsFile> } {
  const img = path.join(dir, name);
  execFileSync('truncate', ['-s', '8M', img]);
  execFileSync('mkntfs', ['-F', '-Q', '-q', '-s', '512', '-c', '4096', '-L', 'ADS', img], { stdio: 'pipe' });
  const files = new Map<string, AdsFile>();
  const src = path.join(dir, 'ads-src.bin');
  const put = (target: string, data: Buffer, stream?: string): void => {
    writeFileSync(src, data);
    execFileSync('ntfscp', ['-q', ...(stream ? ['-N', stream] : []), img, src, target], { stdio: 'pipe' });
    const f = files.get(target) ?? { main: Buffer.alloc(0), streams: new Map<string, Buffer>() };
    if (stream) f.streams.set(stream, data);
    else f.main = data;
    files.set(target, f);
  };
  put('/plain.txt', Buffer.from('no streams here\n'));
  put('/tool.exe', Buffer.concat([Buffer.from('MZ'), randomBytes(40_000)]));
  put('/tool.exe', ZONE_IDENTIFIER, 'Zone.Identifier');
  put('/tool.exe', randomBytes(150_000), 'payload');
  put('/notes.txt', Buffer.from('a file with many named streams\n'));
  for (let i = 0; i < 12; i++) put('/notes.txt', randomBytes(200 + i), `s${i}`);
  return { img, files };
}

/** `icat` of one stream: TSK addresses it as INODE-128-ID, with the attribute id `istat` lists for that name. */
export function icatStream(img: string, inode: number, stream: string, sectorOffset = 0): Buffer {
  const out = execFileSync('istat', ['-o', String(sectorOffset), img, String(inode)]).toString('utf8');
  const m = new RegExp(`Type: \\$DATA \\(128-(\\d+)\\)\\s+Name: ${stream.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`).exec(out);
  if (!m) throw new Error(`istat ${inode}: no $DATA stream named ${stream}`);
  return execFileSync('icat', ['-o', String(sectorOffset), img, `${inode}-128-${m[1]}`], { maxBuffer: 1 << 28 });
}
