/**
 * Default-deny for everything a page could ask of Electron beyond rendering: navigation, new windows,
 * permissions, webviews. Type-only electron imports; main.ts passes the real objects, tests pass fakes.
 */
import type { App, Event, Session, WebContents } from 'electron';

/** Hosts an examiner may open from the app, in the system browser; anything else is silently dropped. */
export const EXTERNAL_HOSTS: readonly string[] = ['docs.aws.amazon.com', 'console.aws.amazon.com', 'aws.amazon.com'];

/** True for https URLs, without credentials, on an allowlisted host or a subdomain of console.aws.amazon.com. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  // Regional consoles (eu-west-1.console.aws.amazon.com) are where examiners look at a resource.
  return EXTERNAL_HOSTS.includes(host) || host.endsWith('.console.aws.amazon.com');
}

export interface SecurityDeps {
  /** shell.openExternal; only ever called with an allowlisted URL. */
  openExternal: (url: string) => Promise<void>;
}

type Contents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Applies the navigation, new-window and webview rules to one webContents. */
export function hardenWebContents(contents: Contents, deps: SecurityDeps): void {
  const openIfAllowed = (url: string): void => {
    // Checklist "Do not use shell.openExternal with untrusted content": https to known hosts only.
    if (isAllowedExternalUrl(url)) void deps.openExternal(url).catch(() => undefined);
  };

  // Checklist "Disable or limit navigation": the renderer is a single page; loadURL from main does not
  // fire will-navigate, so every will-navigate is a page trying to leave app://caseward/.
  contents.on('will-navigate', (event: Event, url: string) => {
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event: Event) => {
    event.preventDefault();
  });

  // Checklist "Disable or limit creation of new windows": links open in the system browser or not at all.
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });

  // Checklist "Verify WebView options before creation": webviewTag is off, and any attach is refused anyway.
  contents.on('will-attach-webview', (event: Event) => {
    event.preventDefault();
  });
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
  Partial<Pick<Session, 'setDevicePermissionHandler'>>;

/** Checklist "Handle session permission requests from remote content": Caseward needs none, so all are denied. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // USB/HID/serial device access is a separate gate; evidence drives are read by main, never by the page.
  session.setDevicePermissionHandler?.(() => false);
}

/** Hardens every webContents the app ever creates, not only the main window's. */
export function hardenApp(app: Pick<App, 'on'>, deps: SecurityDeps): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, deps);
  });
}
