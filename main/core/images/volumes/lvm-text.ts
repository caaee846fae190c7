import { AppError } from '../../../../shared/errors.js';

/** A value in LVM2's metadata text format. */
export type LvmValue = string | number | LvmValue[] | LvmSection;
/** A `name { ... }` block of LVM2 metadata. */
export interface LvmSection {
  [key: string]: LvmValue;
}

const TOKEN = /\s*(?:#[^\n]*\n?|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z0-9_.+\-:]+)|([={}[\],]))/y;

/** Parses LVM2 volume group metadata text (`key = value`, `name { }`, lists, `#` comments). */
export function parseLvmText(text: string): LvmSection {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new AppError('UNREADABLE', `LVM metadata: unexpected text at ${start}`);
    }
    const tok = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (tok !== undefined) tokens.push(tok);
  }
  let i = 0;
  const value = (): LvmValue => {
    const t = tokens[i++];
    if (t === undefined) throw new AppError('UNREADABLE', 'LVM metadata ends early');
    if (t === '[') {
      const list: LvmValue[] = [];
      while (tokens[i] !== ']') {
        if (tokens[i] === undefined) throw new AppError('UNREADABLE', 'LVM metadata: unterminated list');
        if (tokens[i] === ',') i += 1;
        else list.push(value());
      }
      i += 1;
      return list;
    }
    if (t.startsWith('"')) return JSON.parse(t) as string;
    return /^-?\d/.test(t) ? Number(t) : t;
  };
  const section = (closing: boolean): LvmSection => {
    const out: LvmSection = {};
    for (;;) {
      const key = tokens[i];
      if (key === undefined) {
        if (closing) throw new AppError('UNREADABLE', 'LVM metadata: unterminated section');
        return out;
      }
      i += 1;
      if (key === '}') return out;
      const op = tokens[i++];
      if (op === '{') out[key] = section(true);
      else if (op === '=') out[key] = value();
      else throw new AppError('UNREADABLE', `LVM metadata: expected = or { after ${key}`);
    }
  };
  return section(false);
}
