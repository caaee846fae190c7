/** The workstation's own settings (examiner profile, recent cases), kept in its user-data folder. */
import fs from 'node:fs';
import path from 'node:path';
import type { ExaminerProfile } from '../../../shared/types.js';

export interface RecentCaseRecord {
  id: string;
  path: string;
  number: string;
  title: string;
  lastOpenedAt: string;
  /** The chain head this workstation last saw, so a case whose log was cut short is noticed. */
  lastSeenHead: { seq: number; hash: string };
}

interface SettingsFile {
  version: 1;
  profile: ExaminerProfile | null;
  recentCases: RecentCaseRecord[];
}

const EMPTY: SettingsFile = { version: 1, profile: null, recentCases: [] };

/** Reads and writes settings.json atomically (write to a temporary file, then rename). */
export class WorkstationSettings {
  private data: SettingsFile;
  private readonly file: string;

  constructor(readonly userDataDir: string) {
    this.file = path.join(userDataDir, 'settings.json');
    this.data = this.load();
  }

  private load(): SettingsFile {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<SettingsFile>;
      return { ...EMPTY, ...parsed, version: 1 };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      // A damaged settings file is kept aside, never silently overwritten.
      const aside = `${this.file}.damaged-${Date.now()}`;
      fs.renameSync(this.file, aside);
      return structuredClone(EMPTY);
    }
  }

  private save(): void {
    fs.mkdirSync(this.userDataDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  get profile(): ExaminerProfile | null {
    return this.data.profile;
  }

  setProfile(profile: ExaminerProfile): void {
    this.data.profile = profile;
    this.save();
  }

  get recentCases(): RecentCaseRecord[] {
    return [...this.data.recentCases].sort((a, b) => b.lastOpenedAt.localeCompare(a.lastOpenedAt));
  }

  recentCase(id: string): RecentCaseRecord | undefined {
    return this.data.recentCases.find((c) => c.id === id);
  }

  rememberCase(record: RecentCaseRecord): void {
    this.data.recentCases = [record, ...this.data.recentCases.filter((c) => c.id !== record.id && c.path !== record.path)].slice(0, 50);
    this.save();
  }

  updateHead(id: string, head: { seq: number; hash: string }): void {
    const rec = this.data.recentCases.find((c) => c.id === id);
    if (!rec || rec.lastSeenHead.seq >= head.seq) return;
    rec.lastSeenHead = head;
    this.save();
  }
}
