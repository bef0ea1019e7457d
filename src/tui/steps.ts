import type { AuthMethod, GatewayDiscovery } from '../shared/login.js';
import type { KeyHint } from './Footer.js';
import type { Step } from './useLoginFlow.js';

/** Steps with a text field: letters are typed there, so only Esc, Ctrl+C, Tab and arrows are keys. */
export function isTextStep(step: Step): boolean {
  return step.kind === 'gateway' || step.kind === 'email' || step.kind === 'password' || step.kind === 'apiKey';
}

export function methodName(method: AuthMethod): string {
  if (method === 'local') return 'email and password';
  return `single sign-on (${method.toUpperCase()})`;
}

/** How this gateway will sign the user in: MCP OAuth when it offers it, else its own method. */
export function discoveryName(discovery: GatewayDiscovery): string {
  return discovery.oauth !== undefined ? `MCP OAuth 2.1 (${discovery.oauth.issuer})` : methodName(discovery.authMethod);
}

/** Email and password only when the gateway offers nothing else: MCP OAuth goes through the browser whatever hoop's own method is. */
export function asksForPassword(discovery: GatewayDiscovery): boolean {
  return discovery.oauth === undefined && discovery.authMethod === 'local';
}

const quitEsc: KeyHint = { key: 'esc', label: 'quit' };
const quitQ: KeyHint = { key: 'q', label: 'quit' };
const apiKeyTab: KeyHint = { key: 'tab', label: 'use an API key' };

/** The keys that work in a step, for the footer. LoginApp's key handler is the other half. */
export function hintsFor(step: Step): KeyHint[] {
  switch (step.kind) {
    case 'import':
      return [{ key: 'y', label: 'move it' }, { key: 'n', label: 'log in afresh' }, quitEsc];
    case 'gateway':
      return [{ key: 'enter', label: 'continue' }, quitEsc];
    case 'discoverFailed':
      return [{ key: 'r', label: 'retry' }, { key: 'e', label: 'edit the URL' }, quitQ];
    case 'email':
      return [{ key: 'enter', label: 'continue' }, apiKeyTab, quitEsc];
    case 'password':
      return [{ key: 'enter', label: 'log in' }, { key: '↑', label: 'change email' }, apiKeyTab, quitEsc];
    case 'browserStarting':
    case 'browserWaiting':
      return [{ key: 'k', label: 'paste an API key instead' }, quitQ];
    case 'browserFailed':
      return [{ key: 'r', label: 'try again' }, { key: 'k', label: 'paste an API key' }, quitQ];
    case 'apiKey':
      return [
        { key: 'enter', label: 'log in' },
        { key: 'tab', label: asksForPassword(step.discovery) ? 'use email and password' : 'use the browser' },
        quitEsc,
      ];
    case 'importing':
    case 'discovering':
    case 'signingIn':
    case 'checkingKey':
      return [quitEsc];
    case 'done':
    case 'cancelled':
      return [];
  }
}
