import type { Logger } from '../shared/log.js';
import { errorMessage } from '../shared/errors.js';
import { toolError, type CallToolParams, type ToolResult, type Tool } from '../shared/mcp.js';
import type { Backend, CallContext } from './backend.js';
import { DelegatingBackend } from './delegating-backend.js';
import { describeDrift, hasDrift, type CatalogDrift, type PinStore } from './pins.js';
import { hiddenBecause, isOpen, type Policy } from './policy.js';

export interface PolicyBackendOptions {
  inner: Backend;
  policy: Policy;
  /** Catalogue pinning: always warns on drift; `enforce` (--pin-tools) also hides changed tools. */
  pins?: { store: PinStore; enforce: boolean };
  /** Appended to "hidden by local policy": where the settings live. */
  howToChange: string;
  logger: Logger;
}

const NO_DRIFT: CatalogDrift = { changed: [], removed: [], added: [] };

/**
 * Applies the local exposure policy (policy.ts) and catalogue pins to any backend, on both
 * `tools/list` and `tools/call`: a hidden tool cannot be called by name either.
 */
export class PolicyBackend extends DelegatingBackend {
  private catalog = new Map<string, Tool>();
  private drift = NO_DRIFT;
  private warnedDrift = '';

  constructor(private readonly opts: PolicyBackendOptions) {
    super(opts.inner);
  }


  override async listTools(signal: AbortSignal): Promise<Tool[]> {
    const tools = await this.inner.listTools(signal);
    await this.learn(tools);
    return tools.filter((t) => this.blocked(t) === undefined);
  }

  override async callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    if (isOpen(this.opts.policy) && this.opts.pins?.enforce !== true) return this.inner.callTool(params, ctx);
    let tool = this.catalog.get(params.name);
    if (tool === undefined) {
      // The catalogue may have changed since the last list (or the client never listed).
      try {
        await this.learn(await this.inner.listTools(ctx.signal));
      } catch (err) {
        return toolError(`cannot check the local tool policy for "${params.name}": ${errorMessage(err)}`);
      }
      tool = this.catalog.get(params.name);
    }
    // A tool the gateway does not list is judged by its name alone (and is not read-only).
    const reason = this.blocked(tool ?? { name: params.name, inputSchema: { type: 'object' } });
    if (reason !== undefined) return toolError(`tool "${params.name}" is hidden by local policy: ${reason}.`);
    return this.inner.callTool(params, ctx);
  }


  private blocked(tool: Tool): string | undefined {
    const hidden = hiddenBecause(tool, this.opts.policy);
    if (hidden !== undefined) return `${hidden}. ${this.opts.howToChange}`;
    if (this.opts.pins?.enforce === true && this.drift.changed.includes(tool.name)) {
      return 'its description, schema or annotations changed since you accepted them (--pin-tools). Review it with `npx hoop-mcp tools`, then run `npx hoop-mcp tools accept`';
    }
    return undefined;
  }

  private async learn(tools: Tool[]): Promise<void> {
    this.catalog = new Map(tools.map((t) => [t.name, t]));
    const pins = this.opts.pins;
    if (pins === undefined) return;
    try {
      this.drift = await pins.store.check(tools);
    } catch (err) {
      this.opts.logger.warn(`could not check the pinned tool catalogue: ${errorMessage(err)}`);
      return;
    }
    const summary = describeDrift(this.drift);
    if (hasDrift(this.drift) && summary !== this.warnedDrift) {
      this.warnedDrift = summary;
      const then = pins.enforce ? ' Until then --pin-tools hides the changed tools.' : '';
      this.opts.logger.warn(`the gateway's tools changed since you accepted them (${summary}). Review with \`npx hoop-mcp tools\`, then run \`npx hoop-mcp tools accept\`.${then}`);
    }
  }
}
