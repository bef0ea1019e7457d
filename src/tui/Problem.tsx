import { Box, Text } from 'ink';

/** A failure that the user can recover from: what went wrong, in the flows' own words. */
export function Problem({ title, message }: { title: string; message: string }) {
  return (
    <Box flexDirection="column">
      <Text color="red">✗ {title}</Text>
      <Box marginLeft={2}>
        <Text>{message}</Text>
      </Box>
    </Box>
  );
}
