import { useEffect, useRef, useState } from 'react';

import type { BrowserLogin, GatewayDiscovery, LoginActions, LoginResult } from '../shared/login.js';
import { asksForPassword } from './steps.js';

/** Where the login is. Every step that can fail carries the message to show, and enough to retry. */
export type Step =
  | { kind: 'import' }
  | { kind: 'importing' }
  | { kind: 'gateway'; value: string; note?: string; error?: string; attempt: number }
  | { kind: 'discovering'; gateway: string }
  | { kind: 'discoverFailed'; gateway: string; message: string }
  | { kind: 'email'; discovery: GatewayDiscovery; email: string; error?: string; attempt: number }
  | { kind: 'password'; discovery: GatewayDiscovery; email: string; error?: string; attempt: number }
  | { kind: 'signingIn'; discovery: GatewayDiscovery; email: string }
  | { kind: 'browserStarting'; discovery: GatewayDiscovery }
  | { kind: 'browserWaiting'; discovery: GatewayDiscovery; login: BrowserLogin; startedAt: number }
  | { kind: 'browserFailed'; discovery: GatewayDiscovery; message: string }
  | { kind: 'apiKey'; discovery: GatewayDiscovery; error?: string; attempt: number }
  | { kind: 'checkingKey'; discovery: GatewayDiscovery }
  | { kind: 'done'; result: LoginResult }
  | { kind: 'cancelled' };

export interface LoginFlowOptions {
  actions: LoginActions;
  defaultGateway?: string;
  importOffer?: { gateway: string; accept(): Promise<LoginResult> };
}

export interface LoginFlow {
  step: Step;
  acceptImport(): void;
  declineImport(): void;
  submitGateway(value: string): void;
  retryDiscover(): void;
  editGateway(): void;
  submitEmail(value: string): void;
  changeEmail(): void;
  submitPassword(value: string): void;
  retryBrowser(): void;
  /** Switch to pasting an API key, from any step that knows the gateway. */
  useApiKey(): void;
  /** Back from the API key to the gateway's own method. */
  leaveApiKey(): void;
  submitApiKey(value: string): void;
  quit(): void;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The login state machine. It calls the actions it is given and nothing else; every answer that
 * arrives after the user moved on (quit, switched to an API key) is dropped, and a browser login
 * that is no longer wanted is cancelled so that it frees 127.0.0.1:3587.
 */
export function useLoginFlow({ actions, defaultGateway, importOffer }: LoginFlowOptions): LoginFlow {
  const [step, setStep] = useState<Step>(() =>
    importOffer !== undefined ? { kind: 'import' } : { kind: 'gateway', value: defaultGateway ?? '', attempt: 0 },
  );
  const current = useRef<Step>(step);
  /** Bumped on every transition: a pending answer whose number is old belongs to a step we left. */
  const generation = useRef(0);
  const browser = useRef<BrowserLogin | undefined>(undefined);

  const stopBrowser = (): void => {
    const login = browser.current;
    browser.current = undefined;
    login?.cancel();
  };
  const go = (next: Step): void => {
    generation.current++;
    current.current = next;
    setStep(next);
  };
  const track = <T>(promise: Promise<T>, ok: (value: T) => void, fail: (message: string) => void, stale?: (value: T) => void): void => {
    const mine = generation.current;
    promise.then(
      (value) => (mine === generation.current ? ok(value) : stale?.(value)),
      (e: unknown) => {
        if (mine === generation.current) fail(messageOf(e));
      },
    );
  };
  const done = (result: LoginResult): void => go({ kind: 'done', result });

  useEffect(
    () => () => {
      generation.current++;
      stopBrowser();
    },
    [],
  );

  const discover = (gateway: string): void => {
    go({ kind: 'discovering', gateway });
    track(actions.discover(gateway), followMethod, (message) => go({ kind: 'discoverFailed', gateway, message }));
  };

  const startBrowser = (discovery: GatewayDiscovery): void => {
    go({ kind: 'browserStarting', discovery });
    track(
      actions.startBrowserLogin(discovery),
      (login) => {
        browser.current = login;
        go({ kind: 'browserWaiting', discovery, login, startedAt: Date.now() });
        track(
          login.result,
          (result) => {
            browser.current = undefined;
            done(result);
          },
          (message) => {
            browser.current = undefined;
            go({ kind: 'browserFailed', discovery, message });
          },
        );
      },
      (message) => go({ kind: 'browserFailed', discovery, message }),
      (login) => login.cancel(),
    );
  };

  function followMethod(discovery: GatewayDiscovery): void {
    if (asksForPassword(discovery)) go({ kind: 'email', discovery, email: '', attempt: 0 });
    else startBrowser(discovery);
  }

  const discoveryOf = (s: Step): GatewayDiscovery | undefined => ('discovery' in s ? s.discovery : undefined);

  return {
    step,
    acceptImport() {
      if (current.current.kind !== 'import' || importOffer === undefined) return;
      go({ kind: 'importing' });
      track(importOffer.accept(), done, (message) =>
        go({ kind: 'gateway', value: importOffer.gateway, note: `Could not move that login: ${message}`, attempt: 0 }),
      );
    },
    declineImport() {
      if (current.current.kind !== 'import') return;
      go({ kind: 'gateway', value: defaultGateway ?? importOffer?.gateway ?? '', attempt: 0 });
    },
    submitGateway(value) {
      const s = current.current;
      if (s.kind !== 'gateway') return;
      const gateway = value.trim();
      if (gateway === '') go({ ...s, value, error: 'Enter the address of your Hoop gateway.', attempt: s.attempt + 1 });
      else discover(gateway);
    },
    retryDiscover() {
      const s = current.current;
      if (s.kind === 'discoverFailed') discover(s.gateway);
    },
    editGateway() {
      const s = current.current;
      if (s.kind === 'discoverFailed') go({ kind: 'gateway', value: s.gateway, attempt: 0 });
    },
    submitEmail(value) {
      const s = current.current;
      if (s.kind !== 'email') return;
      const email = value.trim();
      if (email === '') go({ ...s, error: 'Enter your email.', attempt: s.attempt + 1 });
      else go({ kind: 'password', discovery: s.discovery, email, attempt: 0 });
    },
    changeEmail() {
      const s = current.current;
      if (s.kind === 'password') go({ kind: 'email', discovery: s.discovery, email: s.email, attempt: 0 });
    },
    submitPassword(password) {
      const s = current.current;
      if (s.kind !== 'password') return;
      if (password === '') return go({ ...s, error: 'Enter your password.', attempt: s.attempt + 1 });
      const { discovery, email } = s;
      go({ kind: 'signingIn', discovery, email });
      track(actions.loginLocal(discovery.gateway, email, password), done, (error) =>
        go({ kind: 'password', discovery, email, error, attempt: s.attempt + 1 }),
      );
    },
    retryBrowser() {
      const s = current.current;
      if (s.kind === 'browserFailed') startBrowser(s.discovery);
    },
    useApiKey() {
      const s = current.current;
      const discovery = discoveryOf(s);
      if (discovery === undefined || s.kind === 'apiKey' || s.kind === 'checkingKey' || s.kind === 'signingIn') return;
      stopBrowser();
      go({ kind: 'apiKey', discovery, attempt: 0 });
    },
    leaveApiKey() {
      const s = current.current;
      if (s.kind === 'apiKey') followMethod(s.discovery);
    },
    submitApiKey(value) {
      const s = current.current;
      if (s.kind !== 'apiKey') return;
      const key = value.trim();
      if (!key.startsWith('hpk_')) {
        const error = key === '' ? 'Paste your API key.' : 'That is not a Hoop API key: they start with hpk_.';
        return go({ ...s, error, attempt: s.attempt + 1 });
      }
      const { discovery } = s;
      go({ kind: 'checkingKey', discovery });
      track(actions.loginApiKey(discovery.gateway, key), done, (error) => go({ kind: 'apiKey', discovery, error, attempt: s.attempt + 1 }));
    },
    quit() {
      const kind = current.current.kind;
      if (kind === 'done' || kind === 'cancelled') return;
      stopBrowser();
      go({ kind: 'cancelled' });
    },
  };
}
