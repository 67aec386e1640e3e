// The frame of the screens before login: a centred card under the brand.
import type { ComponentChildren } from 'preact';
import { html } from '../html';
import { Logo } from './icons';

export function AuthLayout(p: { practice?: string | null; wide?: boolean; class?: string; children: ComponentChildren }) {
  return html`<div class="auth-page">
    <div class=${`auth-wrap ${p.wide ? 'wide' : ''} ${p.class ?? ''}`}>
      <div class="auth-brand">
        <${Logo} />
        <div>
          <div class="auth-product">Chartroom</div>
          ${p.practice ? html`<div class="auth-practice">${p.practice}</div>` : null}
        </div>
      </div>
      ${p.children}
      <div class="auth-foot">All data stays on this computer, encrypted.</div>
    </div>
  </div>`;
}
