// The database cannot be opened: say why and what to do. Nothing here can
// change anything on disk.

import { html } from '../html';
import type { AppStatus } from '../bindings/AppStatus';
import { AuthLayout } from '../components/authLayout';
import { capitalize } from '../components/toast';
import { IconAlert } from '../components/icons';

export function CannotOpen(p: { status: AppStatus }) {
  const problem = p.status.problem;
  return html`<${AuthLayout} practice=${p.status.practice_name} wide=${true}>
    <div class="card auth-card cannot-open" data-testid="cannot-open" role="alert">
      <div class="cannot-open-head">${IconAlert()}<h1>The practice database cannot be opened</h1></div>
      <p class="problem">${capitalize(problem?.message ?? 'The database could not be opened.')}</p>
      ${problem ? html`<p class="muted small">Error code: <code>${problem.code}</code></p>` : null}
      <h2>What to do</h2>
      <ol>
        <li>Do not delete or move any files in the data folder.</li>
        <li>If this computer was restored or its files were copied, check that the whole data folder is present.</li>
        <li>Otherwise restore the data folder from your most recent backup, then start Chartroom again.</li>
        <li>If you cannot, call your practice's IT support and give them the message above.</li>
      </ol>
      <p class="muted small">Data folder: <code>${p.status.data_dir}</code></p>
    </div>
  </${AuthLayout}>`;
}
