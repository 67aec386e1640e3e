// Entry point: mounts the app. No inline scripts in index.html (the CSP
// forbids them); everything starts here.
import { render } from 'preact';
import { html } from './html';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
