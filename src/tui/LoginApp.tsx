import { useEffect, useRef } from 'react';
import { Box, Static, Text, useApp, useInput } from 'ink';

import type { GatewayDiscovery, LoginActions, LoginResult } from '../shared/login.js';
import { BrowserStep } from './BrowserStep.js';
import { Busy } from './Busy.js';
import { Done } from './Done.js';
import { Footer } from './Footer.js';
import { Problem } from './Problem.js';
import { discoveryName, hintsFor, isTextStep } from './steps.js';
import { TextPrompt } from './TextPrompt.js';
import { type LoginFlow, type Step, useLoginFlow } from './useLoginFlow.js';

export interface LoginAppProps {
  actions: LoginActions;
  defaultGateway?: string;
  profile: string;
  /** A login found in hoop's own CLI config, offered first. */
  importOffer?: { gateway: string; accept(): Promise<LoginResult> };
  /** Called once: the result, or undefined when the user quit. The app exits right after. */
  onDone(result: LoginResult | undefined): void;
}

type Line = { id: 'title'; profile: string } | { id: 'gateway'; discovery: GatewayDiscovery };

function handleKey(flow: LoginFlow, input: string, key: { ctrl: boolean; escape: boolean; return: boolean; tab: boolean; upArrow: boolean }): void {
  const { step } = flow;
  if ((key.ctrl && input === 'c') || key.escape) return flow.quit();
  if (isTextStep(step)) {
    if (key.tab && step.kind === 'apiKey') flow.leaveApiKey();
    else if (key.tab) flow.useApiKey();
    else if (key.upArrow) flow.changeEmail();
    return;
  }
  if (input === 'q') return flow.quit();
  if (step.kind === 'import') {
    if (key.return || input === 'y' || input === 'Y') flow.acceptImport();
    else if (input === 'n' || input === 'N') flow.declineImport();
  } else if (step.kind === 'discoverFailed') {
    if (input === 'r' || key.return) flow.retryDiscover();
    else if (input === 'e') flow.editGateway();
  } else if (step.kind === 'browserFailed' && (input === 'r' || key.return)) {
    flow.retryBrowser();
  } else if (input === 'k') {
    flow.useApiKey();
  }
}

function Body({ flow, importGateway }: { flow: LoginFlow; importGateway?: string }) {
  const { step } = flow;
  switch (step.kind) {
    case 'import':
      return (
        <Text>
          <Text color="cyan">? </Text>Found a login from hoop's CLI for <Text bold>{importGateway}</Text>. Move it into the keychain?{' '}
          <Text dimColor>(Y/n)</Text>
        </Text>
      );
    case 'importing':
      return <Busy label="Moving the login from hoop's CLI…" />;
    case 'gateway':
      return (
        <TextPrompt
          key={`gateway-${step.attempt}`}
          label="Gateway URL"
          initialValue={step.value}
          placeholder="https://hoop.example.com"
          note={step.note}
          error={step.error}
          onSubmit={flow.submitGateway}
        />
      );
    case 'discovering':
      return <Busy label={`Looking up ${step.gateway}…`} />;
    case 'discoverFailed':
      return <Problem title={`Could not use ${step.gateway}`} message={step.message} />;
    case 'email':
      return <TextPrompt key={`email-${step.attempt}`} label="Email" initialValue={step.email} error={step.error} onSubmit={flow.submitEmail} />;
    case 'password':
    case 'signingIn':
      return (
        <Box flexDirection="column">
          <Text>
            <Text color="green">✓</Text> Email <Text bold>{step.email}</Text>
          </Text>
          {step.kind === 'password' ? (
            <TextPrompt key={`password-${step.attempt}`} label="Password" mask error={step.error} onSubmit={flow.submitPassword} />
          ) : (
            <Busy label="Logging in…" />
          )}
        </Box>
      );
    case 'browserStarting':
      return <Busy label={step.discovery.oauth !== undefined ? 'Registering hoop-mcp with the identity provider…' : 'Starting the browser login…'} />;
    case 'browserWaiting':
      return <BrowserStep url={step.login.url} opened={step.login.opened} startedAt={step.startedAt} callbackUrl={step.login.callbackUrl} />;
    case 'browserFailed':
      return <Problem title="The browser login did not finish" message={step.message} />;
    case 'apiKey':
      return <TextPrompt key={`key-${step.attempt}`} label="API key" mask placeholder="hpk_…" error={step.error} onSubmit={flow.submitApiKey} />;
    case 'checkingKey':
      return <Busy label="Checking the API key…" />;
    case 'done':
      return <Done result={step.result} />;
    case 'cancelled':
      return <Text dimColor>Login cancelled.</Text>;
  }
}

function discoveryIn(step: Step): GatewayDiscovery | undefined {
  return 'discovery' in step ? step.discovery : undefined;
}

/**
 * `hoop-mcp login`: gateway, then the gateway's own method (email and password, or the browser),
 * or a pasted API key, then who you are. Pure: all network work is in `actions`.
 */
export function LoginApp({ actions, defaultGateway, profile, importOffer, onDone }: LoginAppProps) {
  const flow = useLoginFlow({ actions, defaultGateway, importOffer });
  const { step } = flow;
  const { exit } = useApp();
  const finished = useRef(false);
  const discovered = useRef<GatewayDiscovery | undefined>(undefined);
  discovered.current ??= discoveryIn(step);

  useInput((input, key) => handleKey(flow, input, key), { isActive: step.kind !== 'done' && step.kind !== 'cancelled' });

  useEffect(() => {
    if (finished.current || (step.kind !== 'done' && step.kind !== 'cancelled')) return;
    finished.current = true;
    onDone(step.kind === 'done' ? step.result : undefined);
    exit();
  }, [step, onDone, exit]);

  const lines: Line[] = [{ id: 'title', profile }];
  if (discovered.current !== undefined) lines.push({ id: 'gateway', discovery: discovered.current });
  const hints = hintsFor(step);

  return (
    <>
      <Static items={lines}>
        {(line) =>
          line.id === 'title' ? (
            <Text key="title">
              <Text bold>Log in to Hoop</Text>
              <Text dimColor> · profile {line.profile}</Text>
            </Text>
          ) : (
            <Text key="gateway">
              <Text color="green">✓</Text> Gateway <Text bold>{line.discovery.gateway}</Text>
              <Text dimColor> · {discoveryName(line.discovery)}</Text>
            </Text>
          )
        }
      </Static>
      <Box flexDirection="column">
        <Body flow={flow} importGateway={importOffer?.gateway} />
        {hints.length > 0 ? <Footer hints={hints} /> : null}
      </Box>
    </>
  );
}
