import { useRef, useState } from 'react';
import { Text, useInput } from 'ink';

export interface TextFieldProps {
  /** The value the field starts with; remount (React `key`) to reset it. */
  initialValue?: string;
  /** Show one `•` per character instead of the text (passwords, API keys). */
  mask?: boolean;
  placeholder?: string;
  /** Only the focused field reads keys. Default true. */
  focus?: boolean;
  onSubmit(value: string): void;
}

interface FieldState {
  value: string;
  cursor: number;
}

/** Printable text only: a paste may carry newlines or escape bytes that must not land in a URL or a key. */
function printable(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\u0000-\u001F\u007F]/g, '');
}

/**
 * A one-line text input. Unlike ink-text-input it leaves Ctrl/Meta chords, Tab and Esc to the
 * caller (they are step keys here, never text), and keeps its value in a ref so that keys arriving
 * faster than React renders (pastes, fast typing) are never lost.
 */
export function TextField({ initialValue = '', mask = false, placeholder, focus = true, onSubmit }: TextFieldProps) {
  const state = useRef<FieldState>({ value: initialValue, cursor: initialValue.length });
  const [, setShown] = useState<FieldState>(state.current);
  const set = (next: FieldState): void => {
    state.current = next;
    setShown(next);
  };

  useInput(
    (input, key) => {
      const { value, cursor } = state.current;
      if (key.return) {
        onSubmit(value);
        return;
      }
      if (key.backspace || key.delete) {
        if (cursor > 0) set({ value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 });
        return;
      }
      if (key.leftArrow) return set({ value, cursor: Math.max(0, cursor - 1) });
      if (key.rightArrow) return set({ value, cursor: Math.min(value.length, cursor + 1) });
      if (key.home || (key.ctrl && input === 'a')) return set({ value, cursor: 0 });
      if (key.end || (key.ctrl && input === 'e')) return set({ value, cursor: value.length });
      if (key.ctrl && input === 'u') return set({ value: value.slice(cursor), cursor: 0 });
      if (key.ctrl || key.meta || key.escape || key.tab) return;
      // A paste (or a fast terminal) can deliver text and Enter in one chunk: "token\r".
      const newline = input.search(/[\r\n]/);
      if (newline !== -1) {
        const typed = printable(input.slice(0, newline));
        const submitted = value.slice(0, cursor) + typed + value.slice(cursor);
        set({ value: submitted, cursor: cursor + typed.length });
        onSubmit(submitted);
        return;
      }
      const text = printable(input);
      if (text === '') return;
      set({ value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length });
    },
    { isActive: focus },
  );

  const { value, cursor } = state.current;
  const shown = mask ? '•'.repeat(value.length) : value;
  if (value === '' && placeholder !== undefined) {
    return (
      <Text>
        {focus ? <Text inverse> </Text> : null}
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  if (!focus) return <Text>{shown}</Text>;
  return (
    <Text>
      {shown.slice(0, cursor)}
      <Text inverse>{shown[cursor] ?? ' '}</Text>
      {shown.slice(cursor + 1)}
    </Text>
  );
}
