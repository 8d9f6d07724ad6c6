/**
 * A standalone ClientTether simulator, for the benchmark and manual runs:
 *
 *   tsx src/cli/clienttether-simulator.ts --port 0 --access-token X \
 *     --tenant CT_key:seed[:clients[:opportunities]] [--tenant …] [--evolve-every-ms N]
 *
 * Prints one JSON line {"url":"…"} on stdout once listening; faults and
 * evolution are steered over HTTP (/__simulator/*). Stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { type SimulatorTenant, startClientTetherSimulator } from '../lib/clienttether/simulator';

class UsageError extends Error {}

function wholeNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number`);
  return Number(text);
}

/** CT_key:seed[:clients[:opportunities]]; the key itself never appears in an error. */
function parseTenant(spec: string): SimulatorTenant {
  const [webKey, seed, clients, opportunities, ...rest] = spec.split(':');
  if (!webKey || seed === undefined || rest.length)
    throw new UsageError('--tenant takes KEY:SEED[:CLIENTS[:OPPORTUNITIES]]');
  const tenant: SimulatorTenant = { webKey, seed: wholeNumber(seed, 'seed') ?? 0 };
  const clientCount = wholeNumber(clients, 'clients');
  const opportunityCount = wholeNumber(opportunities, 'opportunities');
  if (clientCount !== undefined) tenant.clients = clientCount;
  if (opportunityCount !== undefined) tenant.opportunities = opportunityCount;
  return tenant;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'access-token': { type: 'string' },
      tenant: { type: 'string', multiple: true },
      'evolve-every-ms': { type: 'string' },
    },
  });
  const accessToken = values['access-token'];
  if (!accessToken) throw new UsageError('--access-token is required');
  if (!values.tenant?.length) throw new UsageError('at least one --tenant is required');
  const evolveEveryMs = wholeNumber(values['evolve-every-ms'], '--evolve-every-ms');
  const simulator = await startClientTetherSimulator({
    accessToken,
    tenants: values.tenant.map(parseTenant),
    port: wholeNumber(values.port, '--port') ?? 0,
    host: values.host,
    ...(evolveEveryMs ? { evolveEveryMs } : {}),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await simulator.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
}

main().catch((error: unknown) => {
  const usage =
    error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(
    `clienttether-simulator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(usage ? 2 : 1);
});
