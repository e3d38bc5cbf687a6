/**
 * A stub EVM JSON-RPC node for unit tests (viem `custom` transport): answers eth_chainId,
 * eth_getCode and eth_call for the ERC-20 / EIP-712 view functions of the tokens it holds, with
 * the real ABI encoding; a function a token lacks reverts the way a node reports it. The real
 * contracts answer in tests/browser (Circle's FiatToken on anvil).
 */
import {
  custom,
  encodeAbiParameters,
  getAddress,
  numberToHex,
  toFunctionSelector,
  type EIP1193RequestFn,
  type Hex,
  type Transport,
} from 'viem';
import { evmDomainSeparator } from '../../lib/rails/evm/token-facts';

export interface FakeToken {
  name: string;
  symbol: string;
  decimals: number;
  /** version(); absent → reverts */
  version?: string;
  /** DOMAIN_SEPARATOR(); default: the correct one for (name, version, chain, address); null → reverts */
  domainSeparator?: Hex | null;
  /** EIP-5267 eip712Domain(); absent → reverts */
  eip712Domain?: { fields: number; name: string; version: string; chainId: bigint; verifyingContract: `0x${string}`; salt?: Hex; extensions?: bigint[] };
  /** EIP-3009 authorizationState answers (default true) */
  eip3009?: boolean;
}

const SEL = {
  name: toFunctionSelector('name()'),
  symbol: toFunctionSelector('symbol()'),
  decimals: toFunctionSelector('decimals()'),
  version: toFunctionSelector('version()'),
  domainSeparator: toFunctionSelector('DOMAIN_SEPARATOR()'),
  eip712Domain: toFunctionSelector('eip712Domain()'),
  authorizationState: toFunctionSelector('authorizationState(address,bytes32)'),
};

export interface FakeNode {
  transport: () => ReturnType<typeof custom>;
  calls: { method: string; to?: string; selector?: string }[];
  /** tokens by lower-case address */
  tokens: Map<string, FakeToken>;
  /** when set, every request fails like an unreachable node */
  down?: boolean;
}

function revert(): never {
  throw Object.assign(new Error('execution reverted'), { code: 3, data: '0x' });
}

/** A node serving `chainId` with the given tokens (address → facts). */
export function fakeTokenNode(chainId: number, tokens: Record<string, FakeToken> = {}): FakeNode {
  const node: FakeNode = {
    calls: [],
    tokens: new Map(Object.entries(tokens).map(([a, t]) => [a.toLowerCase(), t])),
    transport: () => custom({ request }, { retryCount: 0 }),
  };
  const request = (async ({ method, params }: { method: string; params?: unknown[] }) => {
    if (node.down) throw new Error('fetch failed: connect ECONNREFUSED');
    if (method === 'eth_chainId') {
      node.calls.push({ method });
      return numberToHex(chainId);
    }
    const p = (params ?? []) as [{ to?: string; data?: Hex } | string];
    if (method === 'eth_getCode') {
      const addr = String(p[0]).toLowerCase();
      node.calls.push({ method, to: addr });
      return node.tokens.has(addr) ? '0x6080604052' : '0x';
    }
    if (method === 'eth_call') {
      const tx = p[0] as { to?: string; data?: Hex };
      const to = (tx.to ?? '').toLowerCase();
      const selector = (tx.data ?? '0x').slice(0, 10);
      node.calls.push({ method, to, selector });
      const t = node.tokens.get(to);
      if (!t) return '0x';
      const address = getAddress(to);
      switch (selector) {
        case SEL.name:
          return encodeAbiParameters([{ type: 'string' }], [t.name]);
        case SEL.symbol:
          return encodeAbiParameters([{ type: 'string' }], [t.symbol]);
        case SEL.decimals:
          return encodeAbiParameters([{ type: 'uint8' }], [t.decimals]);
        case SEL.version:
          return t.version === undefined ? revert() : encodeAbiParameters([{ type: 'string' }], [t.version]);
        case SEL.domainSeparator: {
          if (t.domainSeparator === null) revert();
          const v = t.eip712Domain?.version ?? t.version ?? '1';
          const n = t.eip712Domain?.name ?? t.name;
          return encodeAbiParameters([{ type: 'bytes32' }], [t.domainSeparator ?? evmDomainSeparator({ name: n, version: v, chainId, verifyingContract: address })]);
        }
        case SEL.eip712Domain: {
          const d = t.eip712Domain;
          if (!d) revert();
          return encodeAbiParameters(
            [{ type: 'bytes1' }, { type: 'string' }, { type: 'string' }, { type: 'uint256' }, { type: 'address' }, { type: 'bytes32' }, { type: 'uint256[]' }],
            [numberToHex(d.fields, { size: 1 }), d.name, d.version, d.chainId, d.verifyingContract, d.salt ?? `0x${'00'.repeat(32)}`, d.extensions ?? []],
          );
        }
        case SEL.authorizationState:
          return t.eip3009 === false ? revert() : encodeAbiParameters([{ type: 'bool' }], [false]);
        default:
          return revert();
      }
    }
    throw new Error(`unexpected ${method}`);
  }) as EIP1193RequestFn;
  return node;
}

/** A transport factory that routes each RPC URL to its node (unknown URLs are unreachable). */
export function fakeNetwork(byUrl: Record<string, FakeNode>): (rpcUrl: string) => Transport {
  return (rpcUrl) => {
    const node = byUrl[rpcUrl];
    if (node) return node.transport();
    return custom({ request: (async () => Promise.reject(new Error('fetch failed: connect ECONNREFUSED'))) as EIP1193RequestFn }, { retryCount: 0 });
  };
}
