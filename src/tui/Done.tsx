import { Box, Text } from 'ink';

import type { LoginResult } from '../shared/login.js';

function who({ user }: LoginResult): string {
  return user.name !== undefined && user.name !== '' ? `${user.name} (${user.email})` : user.email;
}

function Row({ label, children }: { label: string; children: string }) {
  return (
    <Box>
      <Box width={10}>
        <Text dimColor>{label}</Text>
      </Box>
      <Text>{children}</Text>
    </Box>
  );
}

/** What the login achieved: who you are, where, and where the credential went. */
export function Done({ result }: { result: LoginResult }) {
  const version = result.gatewayVersion !== undefined ? ` (version ${result.gatewayVersion})` : '';
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="green">✓</Text> Logged in as <Text bold>{who(result)}</Text>
      </Text>
      <Box flexDirection="column" marginLeft={2}>
        <Row label="Groups">{result.user.groups.length > 0 ? result.user.groups.join(', ') : 'none'}</Row>
        <Row label="Gateway">{`${result.gateway}${version}`}</Row>
        <Row label="Profile">{result.profile}</Row>
      </Box>
      {result.store === 'keychain' ? (
        <Text>
          <Text color="green">✓</Text> Saved in the OS keychain.
        </Text>
      ) : result.fallbackReason === undefined ? (
        <Text>
          <Text color="green">✓</Text> Saved to a file readable only by you, as asked (--credential-store file).
        </Text>
      ) : (
        <Text color="yellow">! No keychain available ({result.fallbackReason}); saved to a file readable only by you.</Text>
      )}
    </Box>
  );
}
