import { Box, Text } from 'ink';

import { TextField } from './TextField.js';

export interface TextPromptProps {
  label: string;
  initialValue?: string;
  mask?: boolean;
  placeholder?: string;
  /** Shown under the field in red: why the last try failed. */
  error?: string;
  /** Shown under the field in yellow, before any error. */
  note?: string;
  onSubmit(value: string): void;
}

/** `? Label  value` with the message of the last failure under it, like gh's prompts. */
export function TextPrompt({ label, initialValue, mask, placeholder, error, note, onSubmit }: TextPromptProps) {
  return (
    <Box flexDirection="column">
      {note !== undefined ? <Text color="yellow">! {note}</Text> : null}
      {error !== undefined ? <Text color="red">✗ {error}</Text> : null}
      <Box>
        <Text color="cyan">? </Text>
        <Text bold>{label} </Text>
        <TextField initialValue={initialValue} mask={mask} placeholder={placeholder} onSubmit={onSubmit} />
      </Box>
    </Box>
  );
}
