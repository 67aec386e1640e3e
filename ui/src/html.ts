// htm bound to Preact: tagged-template "JSX" without a compiler plugin.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
