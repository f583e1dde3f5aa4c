/**
 * Where the keyboard focus goes when what had it went away (a dialog's opener that is gone, a button replaced by what
 * it asked for): never to the page's <body>, which sends a screen reader and the next Tab back to the top.
 */

/** The focus was lost: nothing, or the page itself, has it. */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/** The open list's heading (focusable by script, `tabIndex={-1}`), else the main region. */
export function listHeading(): HTMLElement | null {
  return document.getElementById('list-title') ?? document.getElementById('main');
}

/** The shown panel's heading (a list's, Upcoming's, Assigned to me's: focusable by script), else the main region. */
export function mainHeading(): HTMLElement | null {
  return document.querySelector<HTMLElement>('#main h1[tabindex]') ?? document.getElementById('main');
}

let headingFocusFor: string | null = null;

/**
 * Asks for the focus on the heading of the list `listId` once it is shown (the list is being opened, and the control
 * that opened it is gone, as an accepted invitation is): `ListHeader` takes the request (`takeHeadingFocusRequest`).
 */
export function requestHeadingFocus(listId: string): void {
  headingFocusFor = listId;
}

/** Whether the list `listId`'s heading was asked to take the focus (the request is then done). */
export function takeHeadingFocusRequest(listId: string): boolean {
  if (headingFocusFor !== listId) return false;
  headingFocusFor = null;
  return true;
}

/** The sidebar's workspace switcher: where the focus goes once a workspace was joined (its Accept button is gone). */
export function workspaceSwitcher(): HTMLElement | null {
  return document.querySelector<HTMLElement>('select.workspace-select');
}
