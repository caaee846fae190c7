import os from 'node:os';
import path from 'node:path';

/** The same folder Electron's app.getPath('userData') gives for the app name "Caseward", so all doors share settings. */
export function defaultUserDataDir(): string {
  if (process.env.CASEWARD_USER_DATA) return path.resolve(process.env.CASEWARD_USER_DATA);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Caseward');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Caseward');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Caseward');
  }
}

/** Where new cases go unless the examiner picks a folder. */
export function defaultCasesDir(): string {
  if (process.env.CASEWARD_CASES_DIR) return path.resolve(process.env.CASEWARD_CASES_DIR);
  return path.join(os.homedir(), 'Caseward Cases');
}
