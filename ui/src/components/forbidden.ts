// The screen shown instead of one the user's roles do not allow.

import { html } from '../html';
import { IconLock } from './icons';

export function Forbidden() {
  return html`<div class="panel forbidden" data-testid="forbidden" role="alert">
    <div class="forbidden-icon" aria-hidden="true">${IconLock()}</div>
    <h1>Not available for your role</h1>
    <p>Your account does not have permission to use this screen. If you need it for your work, ask the practice administrator to change your roles.</p>
  </div>`;
}
