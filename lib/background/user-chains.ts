/**
 * Networks and tokens the user adds (Settings → Networks & tokens). The options page sends only
 * what the user typed — a chain id, a name, URLs, a token address, the "counts as dollars" tick —
 * and everything else is established here, in the background, from the chain itself:
 *  - a custom EVM network: its RPC must answer `eth_chainId` with the entered id; a chain id the
 *    wallet already knows (built-in) cannot be redefined;
 *  - a custom token: name(), symbol(), decimals(), version() / eip712Domain() and
 *    DOMAIN_SEPARATOR() are read over the network's RPC, and the EIP-712 domain x402 would sign
 *    must hash to DOMAIN_SEPARATOR(). `lookup` shows the facts; `addToken` reads and checks them
 *    again and only then stores them (the page cannot submit facts).
 * Stored through `Settings.mutate` (serialized; a refused change changes nothing).
 */
import { getAddress, isAddress } from 'viem';
import type { CustomNetworkDto, CustomTokenDto, NetworkDto, SettingsDto, TokenLookupDto } from '../messaging/contract';
import { builtInEvmChains, defaultEvmAssets, evmNetworkName, isBuiltInEvmChain } from '../rails/evm/assets';
import type { TransportFactory } from '../rails/evm/balance';
import { ChainReadError, checkEvmDomain, hasHiddenChars, readEvmChainId, readEvmTokenFacts, tokenTextProblem } from '../rails/evm/token-facts';
import { isTestNetwork } from '../rails/networks';
import { TESTNETS_OFF_REASON } from '../x402';
import { resolveRpcUrl } from './balances';
import {
  MAX_CUSTOM_NETWORKS,
  MAX_CUSTOM_TOKENS,
  customNetworkId,
  settingsError,
  tokenNetwork,
  validRpcUrl,
  type Settings,
} from './settings';

export interface UserChainsOptions {
  /** EVM transport per RPC URL (tests pass viem's `custom`); default HTTP */
  transport?: TransportFactory;
  timeoutMs?: number;
  now?: () => number;
}

function validChainId(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    throw settingsError('The chain id must be a whole number above 0, like 8453.');
  return v;
}

function validAddress(v: unknown): `0x${string}` {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v.trim()))
    throw settingsError(`"${String(v).slice(0, 60)}" is not a token address (0x followed by 40 hex digits).`);
  const a = v.trim();
  if (!isAddress(a, { strict: true })) throw settingsError(`${a} has a bad checksum (mixed-case letters that do not match): check the address.`);
  if (/^0x0{40}$/i.test(a)) throw settingsError('The zero address is not a token.');
  return getAddress(a);
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** "Base (chain 8453)", "Anvil (chain 31337)" */
function networkText(name: string, chainId: number): string {
  return name === `eip155:${chainId}` ? `chain ${chainId}` : `${name} (chain ${chainId})`;
}

export class UserChains {
  private readonly transport?: TransportFactory;
  private readonly timeoutMs?: number;
  private readonly now: () => number;

  constructor(
    private readonly settings: Settings,
    opts: UserChainsOptions = {},
  ) {
    this.transport = opts.transport;
    this.timeoutMs = opts.timeoutMs;
    this.now = opts.now ?? Date.now;
  }

  private get readOpts() {
    return { ...(this.transport ? { transport: this.transport } : {}), ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}) };
  }

  /** The EVM networks a custom token can be added on: built-in ones (test networks only when shown) and custom ones. */
  async list(): Promise<NetworkDto[]> {
    const s = await this.settings.get();
    const builtIn = builtInEvmChains()
      .filter((c) => s.showTestnets || !isTestNetwork(c.network))
      .map((c): NetworkDto => ({
        chainId: c.chainId,
        network: c.network,
        name: c.name,
        testnet: isTestNetwork(c.network),
        custom: false,
        hasRpc: !!resolveRpcUrl(s, c.network, '0x0000000000000000000000000000000000000000'),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const custom = s.customNetworks.map(
      (n): NetworkDto => ({ chainId: n.chainId, network: customNetworkId(n), name: n.name, testnet: n.testnet, custom: true, hasRpc: true }),
    );
    return [...custom, ...builtIn];
  }

  /** Add (or change) a custom network after its RPC confirmed the chain id. */
  async addNetwork(input: unknown): Promise<SettingsDto> {
    const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const chainId = validChainId(i.chainId);
    if (isBuiltInEvmChain(chainId)) {
      const name = evmNetworkName(`eip155:${chainId}`) ?? `chain ${chainId}`;
      throw settingsError(
        `Chain ${chainId} is built in (${name}) and cannot be redefined. To use your own node for it, set an RPC endpoint for chain ${chainId} under RPC endpoints.`,
      );
    }
    if (typeof i.name !== 'string' || i.name.trim() === '') throw settingsError('Enter a name for the network, like "My L2".');
    const name = i.name.trim();
    if (name.length > 40) throw settingsError('The network name is too long (at most 40 characters).');
    if (hasHiddenChars(name)) throw settingsError('The network name contains control or invisible characters.');
    const taken = builtInEvmChains().find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (taken)
      throw settingsError(`"${name}" is the name of a built-in network (chain ${taken.chainId}): choose another name, so approvals cannot confuse the two.`);
    const rpcUrl = validRpcUrl(i.rpcUrl, 'RPC URL');
    const explorerUrl = i.explorerUrl === undefined || i.explorerUrl === '' ? undefined : validRpcUrl(i.explorerUrl, 'Explorer URL');
    if (i.testnet !== undefined && typeof i.testnet !== 'boolean') throw settingsError('"Test network" is yes or no.');

    let served: number;
    try {
      served = await readEvmChainId(rpcUrl, this.readOpts);
    } catch (e) {
      throw settingsError((e as Error).message, 'rpc-error');
    }
    if (served !== chainId) throw settingsError(`The RPC at ${rpcUrl} is chain ${served}, not ${chainId}.`, 'chain-mismatch');

    const net: CustomNetworkDto = { chainId, name, rpcUrl, ...(explorerUrl ? { explorerUrl } : {}), testnet: i.testnet === true };
    return this.settings.mutate((cur) => {
      const others = cur.customNetworks.filter((n) => n.chainId !== chainId);
      const dup = others.find((n) => n.name.toLowerCase() === name.toLowerCase());
      if (dup) throw settingsError(`"${name}" is already the name of your network on chain ${dup.chainId}: choose another name.`);
      if (others.length >= MAX_CUSTOM_NETWORKS) throw settingsError(`Too many custom networks (at most ${MAX_CUSTOM_NETWORKS}): remove one first.`);
      const at = cur.customNetworks.findIndex((n) => n.chainId === chainId);
      const list = [...cur.customNetworks];
      if (at >= 0) list[at] = net;
      else list.push(net);
      return { ...cur, customNetworks: list };
    });
  }

  async removeNetwork(input: unknown): Promise<SettingsDto> {
    const chainId = validChainId((input as { chainId?: unknown } | null)?.chainId);
    return this.settings.mutate((cur) => {
      const net = cur.customNetworks.find((n) => n.chainId === chainId);
      if (!net) throw settingsError(`Chain ${chainId} is not one of your custom networks.`);
      const tokens = cur.customTokens.filter((t) => t.chainId === chainId);
      if (tokens.length)
        throw settingsError(`Remove the custom token${tokens.length > 1 ? 's' : ''} on ${net.name} first (${tokens.map((t) => t.symbol).join(', ')}).`);
      return { ...cur, customNetworks: cur.customNetworks.filter((n) => n.chainId !== chainId) };
    });
  }

  /** Read a token's facts from the chain and say whether it can be added (stores nothing). */
  async lookup(input: unknown): Promise<TokenLookupDto> {
    const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const chainId = validChainId(i.chainId);
    const address = validAddress(i.address);
    const s = await this.settings.get();
    const network = `eip155:${chainId}`;
    const custom = s.customNetworks.find((n) => n.chainId === chainId);
    if (!custom && !isBuiltInEvmChain(chainId))
      throw settingsError(`Chain ${chainId} is not a network the wallet knows: add it under Custom networks first.`);
    const networkName = custom?.name ?? evmNetworkName(network) ?? network;
    if (!custom && !s.showTestnets && isTestNetwork(network))
      throw settingsError(`${networkName} is a test network. ${TESTNETS_OFF_REASON}.`, 'testnets-off');
    const rpcUrl = resolveRpcUrl(s, network, address);
    if (!rpcUrl)
      throw settingsError(`No RPC endpoint for ${networkText(networkName, chainId)}: set one under RPC endpoints to look up tokens there.`);

    let facts;
    try {
      facts = await readEvmTokenFacts({ rpcUrl, chainId, address }, this.readOpts);
    } catch (e) {
      if (e instanceof ChainReadError) throw settingsError(e.message, /is chain \d+, not/.test(e.message) ? 'chain-mismatch' : 'rpc-error');
      throw e;
    }
    const domain = checkEvmDomain(facts);
    const out: TokenLookupDto = {
      chainId,
      network,
      networkName,
      address,
      name: facts.name,
      symbol: facts.symbol,
      decimals: facts.decimals,
      ...(domain.eip712 && domain.source ? { eip712: { ...domain.eip712, source: domain.source } } : {}),
      ...(facts.domainSeparator ? { domainSeparator: facts.domainSeparator } : {}),
      ...(domain.computed ? { computedSeparator: domain.computed } : {}),
      domainMatches: domain.ok,
      eip3009: facts.eip3009,
      warnings: [],
    };
    const problem =
      tokenTextProblem(facts) ??
      (domain.ok ? undefined : domain.reason) ??
      this.alreadyTrusted(s, chainId, address, networkName);
    if (problem) out.problem = problem;
    const twin = defaultEvmAssets().find((a) => a.chainId === chainId && a.symbol.toLowerCase() === facts.symbol.toLowerCase() && !sameAddress(a.address, address));
    if (twin)
      out.warnings.push(`${networkName} already has a built-in ${twin.symbol} at ${twin.address}: this is another contract with the same symbol. Add it only if you know why.`);
    if (!facts.eip3009)
      out.warnings.push('This token has no EIP-3009 (transferWithAuthorization): only Permit2 payments are possible, which need an allowance to Permit2 first.');
    return out;
  }

  private alreadyTrusted(s: SettingsDto, chainId: number, address: string, networkName: string): string | undefined {
    const builtIn = defaultEvmAssets().find((a) => a.chainId === chainId && sameAddress(a.address, address));
    if (builtIn) return `${builtIn.symbol} at this address is already a built-in token on ${networkName}`;
    if (s.playgroundTokens.some((t) => tokenNetwork(t) === `eip155:${chainId}` && sameAddress(t.address, address)))
      return 'this address is already one of your local test tokens (Developer: local test tokens); remove it there first';
    if (s.customTokens.some((t) => t.chainId === chainId && sameAddress(t.address, address))) return 'this token is already in your list';
    return undefined;
  }

  /** Read and check the token again, then store its facts (never the page's). */
  async addToken(input: unknown): Promise<SettingsDto> {
    const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    if (i.usdPegged !== undefined && typeof i.usdPegged !== 'boolean') throw settingsError('"Counts as dollars" is yes or no.');
    const found = await this.lookup(i);
    if (found.problem || !found.eip712 || !found.domainSeparator)
      throw settingsError(`${found.symbol} at ${found.address} cannot be added: ${found.problem ?? 'its EIP-712 domain is unknown'}.`, 'token-refused');
    const seen = (i.seen && typeof i.seen === 'object' ? i.seen : undefined) as Record<string, unknown> | undefined;
    if (!seen) throw settingsError('Look the token up first: the wallet adds only what you were shown.', 'token-changed');
    // read again just now: it must be what the user confirmed (a proxy upgrade or a changing RPC in between)
    const changed =
      seen.symbol !== found.symbol ||
      seen.decimals !== found.decimals ||
      seen.eip712Name !== found.eip712.name ||
      seen.eip712Version !== found.eip712.version ||
      typeof seen.domainSeparator !== 'string' ||
      seen.domainSeparator.toLowerCase() !== found.domainSeparator.toLowerCase();
    if (changed)
      throw settingsError(`The contract's facts changed since you looked it up (now ${found.symbol}, ${found.decimals} decimals, ${found.eip712.name} v${found.eip712.version}): look it up again and check them.`, 'token-changed');
    const token: CustomTokenDto = {
      chainId: found.chainId,
      address: found.address,
      name: found.name,
      symbol: found.symbol,
      decimals: found.decimals,
      eip712: { name: found.eip712.name, version: found.eip712.version },
      domainSeparator: found.domainSeparator,
      eip3009: found.eip3009,
      usdPegged: i.usdPegged === true,
      addedAt: this.now(),
    };
    return this.settings.mutate((cur) => {
      // checked again inside the serialized step: a concurrent add or a network removed meanwhile
      const again = this.alreadyTrusted(cur, token.chainId, token.address, found.networkName);
      if (again) throw settingsError(`${token.symbol} cannot be added: ${again}.`);
      if (!isBuiltInEvmChain(token.chainId) && !cur.customNetworks.some((n) => n.chainId === token.chainId))
        throw settingsError(`Chain ${token.chainId} is no longer one of your networks.`);
      if (cur.customTokens.length >= MAX_CUSTOM_TOKENS) throw settingsError(`Too many custom tokens (at most ${MAX_CUSTOM_TOKENS}): remove one first.`);
      return { ...cur, customTokens: [...cur.customTokens, token] };
    });
  }

  async removeToken(input: unknown): Promise<SettingsDto> {
    const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const chainId = validChainId(i.chainId);
    const address = validAddress(i.address);
    return this.settings.mutate((cur) => {
      if (!cur.customTokens.some((t) => t.chainId === chainId && sameAddress(t.address, address)))
        throw settingsError(`${address} on chain ${chainId} is not one of your custom tokens.`);
      return { ...cur, customTokens: cur.customTokens.filter((t) => !(t.chainId === chainId && sameAddress(t.address, address))) };
    });
  }
}
