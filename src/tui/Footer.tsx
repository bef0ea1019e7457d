import { Box, Text } from 'ink';

/** One key the current step answers to, e.g. `{ key: 'esc', label: 'quit' }`. */
export interface KeyHint {
  key: string;
  label: string;
}

/** The keys that work right now, dim, on one line: `enter continue · esc quit`. */
export function Footer({ hints }: { hints: KeyHint[] }) {
  return (
    <Box marginTop={1}>
      <Text dimColor>
        {hints.map((h, i) => (
          <Text key={h.key}>
            {i > 0 ? ' · ' : ''}
            <Text bold>{h.key}</Text> {h.label}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
