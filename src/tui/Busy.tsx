import { Text } from 'ink';
import Spinner from 'ink-spinner';

/** The one spinner on screen, with what we are waiting for. */
export function Busy({ label, detail }: { label: string; detail?: string }) {
  return (
    <Text>
      <Text color="cyan">
        <Spinner type="dots" />
      </Text>{' '}
      {label}
      {detail !== undefined ? <Text dimColor> {detail}</Text> : null}
    </Text>
  );
}
