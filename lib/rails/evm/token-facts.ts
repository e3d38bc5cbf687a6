/**
 * What a user-added EVM network and token really are, read from the chain (viem over the
 * network's RPC) — never taken from the options page:
 *  - `readEvmChainId`: the chain id an RPC serves (`eth_chainId`);
 *  - `readEvmTokenFacts`: name(), symbol(), decimals(), version() or EIP-5267 eip712Domain(),
 *    DOMAIN_SEPARATOR(), and whether EIP-3009 `authorizationState` answers;
 *  - `checkEvmDomain` (pure): the EIP-712 domain {name, version, chainId, verifyingContract} that
 *    x402's `exact` scheme signs, hashed with viem, must equal the contract's DOMAIN_SEPARATOR() —
 *    otherwise an EIP-3009 signature made with those facts would be checked by the contract
 *    against another domain, and the token is refused.
 * Never logs; every failure is a short human reason.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  domainSeparator,
  getAddress,
  http,
  isAddressEqual,
  type Hex,
} from 'viem';
import { createReadClient, type ReadClient } from '../../util/read-client.ts';
import { shortReason, type TransportFactory } from './balance.ts';

export const TOKEN_READ_TIMEOUT_MS = 5_000;

const defaultTransport: TransportFactory = (url, timeout) => http(url, { batch: true, retryCount: 0, timeout });

// A JSON ABI, not viem's parseAbi (whose human-readable parser would ship in the bundle only for this).
const TOKEN_ABI = [
  { type: 'function', name: 'name', stateMutability: 'view', inputs: [], outputs: [{ type: 'string' }] },
  { type: 'function', name: 'symbol', stateMutability: 'view', inputs: [], outputs: [{ type: 'string' }] },
  { type: 'function', name: 'decimals', stateMutability: 'view', inputs: [], outputs: [{ type: 'uint8' }] },
  { type: 'function', name: 'version', stateMutability: 'view', inputs: [], outputs: [{ type: 'string' }] },
  { type: 'function', name: 'DOMAIN_SEPARATOR', stateMutability: 'view', inputs: [], outputs: [{ type: 'bytes32' }] },
  {
    type: 'function',
    name: 'eip712Domain',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      { type: 'bytes1', name: 'fields' },
      { type: 'string', name: 'name' },
      { type: 'string', name: 'version' },
      { type: 'uint256', name: 'chainId' },
      { type: 'address', name: 'verifyingContract' },
      { type: 'bytes32', name: 'salt' },
      { type: 'uint256[]', name: 'extensions' },
    ],
  },
  { type: 'function', name: 'authorizationState', stateMutability: 'view', inputs: [{ type: 'address', name: 'authorizer' }, { type: 'bytes32', name: 'nonce' }], outputs: [{ type: 'bool' }] },
] as const;

/** Thrown with a sentence the user can act on. */
export class ChainReadError extends Error {}

function publicClient(rpcUrl: string, timeoutMs: number, transport: TransportFactory): ReadClient {
  return createReadClient(transport(rpcUrl, timeoutMs));
}

/** The chain id the RPC at `rpcUrl` serves. Throws ChainReadError when it cannot be asked. */
export async function readEvmChainId(rpcUrl: string, opts: { transport?: TransportFactory; timeoutMs?: number } = {}): Promise<number> {
  const c = publicClient(rpcUrl, opts.timeoutMs ?? TOKEN_READ_TIMEOUT_MS, opts.transport ?? defaultTransport);
  try {
    return await c.getChainId();
  } catch (e) {
    throw new ChainReadError(`Could not ask the RPC at ${rpcUrl} for its chain id: ${shortReason(e)}`);
  }
}

/** EIP-5267 `eip712Domain()` as the contract answers it. */
export interface Eip5267Domain {
  /** bit mask: 0x01 name, 0x02 version, 0x04 chainId, 0x08 verifyingContract, 0x10 salt */
  fields: number;
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: `0x${string}`;
  salt: Hex;
  extensions: readonly bigint[];
}

/** The raw facts of a token contract, as read from the chain. */
export interface EvmTokenFacts {
  chainId: number;
  address: `0x${string}`;
  name: string;
  symbol: string;
  decimals: number;
  /** version(), when the contract has it */
  version?: string;
  /** EIP-5267 eip712Domain(), when the contract has it */
  eip712Domain?: Eip5267Domain;
  /** DOMAIN_SEPARATOR(), when the contract has it */
  domainSeparator?: Hex;
  /** EIP-3009: authorizationState(address, bytes32) answers (transferWithAuthorization is then assumed) */
  eip3009: boolean;
}

/** A call that reverted or returned nothing: the function is absent (not an RPC failure). */
function absent(e: unknown): boolean {
  return e instanceof BaseError && !!e.walk((x) => x instanceof ContractFunctionRevertedError || x instanceof ContractFunctionZeroDataError);
}

/** Control, zero-width and bidi-override characters: a token's text with them could pose as another. */
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** Does the text hold control, zero-width or bidi characters (it could pose as another text)? */
export function hasHiddenChars(text: string): boolean {
  return HIDDEN_CHARS.test(text);
}

/** Why the token's text cannot be shown and trusted as is (undefined: it can). */
export function tokenTextProblem(f: Pick<EvmTokenFacts, 'name' | 'symbol' | 'decimals' | 'version'>): string | undefined {
  if (!f.name || f.name.length > 64) return 'its name() is empty or longer than 64 characters';
  if (!f.symbol || f.symbol.length > 16) return 'its symbol() is empty or longer than 16 characters';
  if (f.version !== undefined && f.version.length > 32) return 'its version() is longer than 32 characters';
  for (const [what, text] of [['name()', f.name], ['symbol()', f.symbol], ['version()', f.version ?? '']] as const)
    if (HIDDEN_CHARS.test(text) || text !== text.trim()) return `its ${what} contains control, invisible or surrounding space characters`;
  if (!Number.isInteger(f.decimals) || f.decimals < 0 || f.decimals > 36) return `its decimals() (${f.decimals}) is not between 0 and 36`;
  return undefined;
}

/**
 * Read a token's facts over `rpcUrl`, which must serve `chainId`. Throws ChainReadError with the
 * reason when the RPC cannot be asked, serves another chain, or the address is not an ERC-20.
 */
export async function readEvmTokenFacts(
  q: { rpcUrl: string; chainId: number; address: string },
  opts: { transport?: TransportFactory; timeoutMs?: number } = {},
): Promise<EvmTokenFacts> {
  const address = getAddress(q.address);
  const c = publicClient(q.rpcUrl, opts.timeoutMs ?? TOKEN_READ_TIMEOUT_MS, opts.transport ?? defaultTransport);
  const read = <F extends 'name' | 'symbol' | 'decimals' | 'version' | 'DOMAIN_SEPARATOR' | 'eip712Domain'>(functionName: F) =>
    c.readContract({ address, abi: TOKEN_ABI, functionName } as never) as Promise<unknown>;
  const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

  // one batched HTTP request: the chain id is checked in the same round trip as the reads
  const [chainId, code, name, symbol, decimals, version, separator, domain, authState] = await Promise.all([
    settle(c.getChainId()),
    settle(c.getCode({ address })),
    settle(read('name')),
    settle(read('symbol')),
    settle(read('decimals')),
    settle(read('version')),
    settle(read('DOMAIN_SEPARATOR')),
    settle(read('eip712Domain')),
    settle(
      c.readContract({
        address,
        abi: TOKEN_ABI,
        functionName: 'authorizationState',
        args: ['0x0000000000000000000000000000000000000001', `0x${'00'.repeat(32)}`],
      }),
    ),
  ]);
  if (!chainId.ok) throw new ChainReadError(`Could not reach the RPC at ${q.rpcUrl}: ${shortReason(chainId.error)}`);
  if (chainId.value !== q.chainId) throw new ChainReadError(`The RPC at ${q.rpcUrl} is chain ${chainId.value}, not ${q.chainId}.`);
  if (!code.ok) throw new ChainReadError(`Could not read the contract at ${address}: ${shortReason(code.error)}`);
  if (!code.value || code.value === '0x') throw new ChainReadError(`There is no contract at ${address} on chain ${q.chainId}.`);

  const required = <T>(r: { ok: true; value: unknown } | { ok: false; error: unknown }, fn: string): T => {
    if (r.ok) return r.value as T;
    if (absent(r.error)) throw new ChainReadError(`The contract at ${address} has no ${fn}: it is not an ERC-20 token the wallet can pay with.`);
    throw new ChainReadError(`Could not read ${fn} of ${address}: ${shortReason(r.error)}`);
  };
  const optional = <T>(r: { ok: true; value: unknown } | { ok: false; error: unknown }, fn: string): T | undefined => {
    if (r.ok) return r.value as T;
    if (absent(r.error)) return undefined;
    throw new ChainReadError(`Could not read ${fn} of ${address}: ${shortReason(r.error)}`);
  };

  const facts: EvmTokenFacts = {
    chainId: q.chainId,
    address,
    name: required<string>(name, 'name()').slice(0, 200),
    symbol: required<string>(symbol, 'symbol()').slice(0, 200),
    decimals: required<number>(decimals, 'decimals()'),
    eip3009: optional<boolean>(authState, 'authorizationState()') !== undefined,
  };
  const v = optional<string>(version, 'version()');
  if (v !== undefined) facts.version = v.slice(0, 200);
  const sep = optional<Hex>(separator, 'DOMAIN_SEPARATOR()');
  if (sep !== undefined) facts.domainSeparator = sep;
  const d = optional<readonly [Hex, string, string, bigint, `0x${string}`, Hex, readonly bigint[]]>(domain, 'eip712Domain()');
  if (d) {
    facts.eip712Domain = {
      fields: Number.parseInt(d[0].slice(2, 4) || '0', 16),
      name: d[1].slice(0, 200),
      version: d[2].slice(0, 200),
      chainId: d[3],
      verifyingContract: d[4],
      salt: d[5],
      extensions: d[6],
    };
  }
  return facts;
}

export type DomainCheck =
  | {
      ok: true;
      /** the EIP-712 domain name and version x402 signs with */
      eip712: { name: string; version: string };
      source: 'eip712Domain' | 'version';
      computed: Hex;
    }
  | { ok: false; reason: string; eip712?: { name: string; version: string }; source?: 'eip712Domain' | 'version'; computed?: Hex };

/** The EIP-712 domain separator of {name, version, chainId, verifyingContract} (viem). */
export function evmDomainSeparator(d: { name: string; version: string; chainId: number; verifyingContract: `0x${string}` }): Hex {
  return domainSeparator({ domain: { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract } });
}

/**
 * Which EIP-712 domain the token uses and whether it is the one x402 signs: from EIP-5267 when
 * present (it must describe exactly name, version, chainId and verifyingContract of this token on
 * this chain), else name() + version(); hashed, it must equal DOMAIN_SEPARATOR(). Pure.
 */
export function checkEvmDomain(f: EvmTokenFacts): DomainCheck {
  let eip712: { name: string; version: string };
  let source: 'eip712Domain' | 'version';
  const d = f.eip712Domain;
  if (d) {
    source = 'eip712Domain';
    eip712 = { name: d.name, version: d.version };
    if (d.fields !== 0x0f)
      return {
        ok: false,
        eip712,
        source,
        reason: `its EIP-712 domain (eip712Domain()) is not {name, version, chainId, verifyingContract}${d.fields & 0x10 ? ' — it uses a salt' : ''}: EIP-3009 signatures as x402 makes them would not be accepted by the contract`,
      };
    if (d.chainId !== BigInt(f.chainId) || !isAddressEqual(d.verifyingContract, f.address))
      return { ok: false, eip712, source, reason: `its eip712Domain() names chain ${d.chainId} and contract ${d.verifyingContract}, not this token on chain ${f.chainId}` };
  } else if (f.version !== undefined) {
    source = 'version';
    eip712 = { name: f.name, version: f.version };
  } else {
    return { ok: false, reason: 'the contract has neither version() nor eip712Domain(), so its EIP-712 domain is unknown — it cannot be paid with EIP-3009 signatures safely' };
  }
  if (!eip712.name || !eip712.version || eip712.name.length > 64 || eip712.version.length > 32 || HIDDEN_CHARS.test(eip712.name + eip712.version))
    return { ok: false, eip712, source, reason: 'its EIP-712 name or version is empty, too long or contains control characters' };
  const computed = evmDomainSeparator({ ...eip712, chainId: f.chainId, verifyingContract: f.address });
  if (!f.domainSeparator)
    return { ok: false, eip712, source, computed, reason: 'the contract has no DOMAIN_SEPARATOR(), so the wallet cannot check its EIP-712 domain — it cannot be paid with EIP-3009 signatures safely' };
  if (f.domainSeparator.toLowerCase() !== computed.toLowerCase())
    return {
      ok: false,
      eip712,
      source,
      computed,
      reason: `the contract's DOMAIN_SEPARATOR does not match name ${JSON.stringify(eip712.name)} / version ${JSON.stringify(eip712.version)} — it cannot be paid with EIP-3009 signatures safely`,
    };
  return { ok: true, eip712, source, computed };
}
