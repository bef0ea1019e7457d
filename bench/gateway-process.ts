/**
 * The gateway fixture in its own process, so the bench's clients and the gateway do not share an
 * event loop. Prints its URL on the first line of stdout and runs until stdin closes.
 */
import { startGateway } from '../test/fixtures/gateway.js';

const gw = await startGateway({
  fixtureTools: true,
  extraTools: [{ name: 'bench_echo', description: 'Echo the arguments (bench)', annotations: { readOnlyHint: true } }],
});
process.stdout.write(`${gw.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void gw.stop().then(() => process.exit(0)));
