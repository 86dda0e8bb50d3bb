/**
 * Navigation inside the app, shared by main and the pages: pages import this (never main), main
 * installs the renderer. Keeps the import graph a tree: main → routes → pages → router.
 */

/** A page renders into the main element and returns what to stop when the user leaves it. */
export type Page = (root: HTMLElement, params: Record<string, string>, query: URLSearchParams) => Promise<(() => void) | void>;

let renderer: () => Promise<void> = async () => undefined;
let flashText = '';

/** main's render of the current location. */
export function setRenderer(render: () => Promise<void>): void {
  renderer = render;
}

export function render(): Promise<void> {
  return renderer();
}

/** A message shown once, on the next page rendered. */
export function flash(text: string): void {
  flashText = text;
}

export function takeFlash(): string {
  const text = flashText;
  flashText = '';
  return text;
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void renderer();
}
