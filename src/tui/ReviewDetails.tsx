import { Box, Text } from 'ink';

import { ageOf, describeType, type ReviewItem } from '../shared/review.js';

const MAX_COMMAND_LINES = 12;

/** Everything known about one review: the full command (up to a screenful), reviewers, the link. */
export function ReviewDetails({ review, now }: { review: ReviewItem; now: Date }) {
  const lines = (review.command ?? '').split('\n');
  const shown = lines.slice(0, MAX_COMMAND_LINES);
  const rows: Array<[string, string]> = [
    ['Review', review.id],
    ['Session', review.session],
    ['Status', review.status],
    ['Type', describeType(review)],
    ['Connection', review.connection ?? '(unknown)'],
    ['Requester', review.requester ?? '(unknown)'],
    ['Created', review.createdAt !== undefined ? `${review.createdAt} (${ageOf(review.createdAt, now)} ago)` : '(unknown)'],
  ];
  if (review.revokeAt !== undefined && review.type === 'jit' && review.status === 'APPROVED') rows.push(['Access until', review.revokeAt]);
  if (review.rejectionReason !== undefined) rows.push(['Reason', review.rejectionReason]);
  for (const g of review.groups) rows.push([`Group ${g.group}`, `${g.status}${g.reviewedBy !== undefined ? ` by ${g.reviewedBy}` : ''}`]);
  rows.push(['Open', review.url]);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1} marginTop={1}>
      {rows.map(([k, v]) => (
        <Text key={k}>
          <Text dimColor>{k.padEnd(13)}</Text>
          {v}
        </Text>
      ))}
      {review.command !== undefined ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Command</Text>
          {shown.map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
          {lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more lines (o opens the review)</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}
