/**
 * The few JSON-RPC calls the wallet makes (reads, and sending the one transaction a direct
 * transfer or an allowance grant needs), as a viem client carrying only those actions.
 * `createPublicClient` decorates a client with every public action viem has (ENS, filters,
 * multicall, simulation, proofs, …) and so pulls all of them into the background bundle;
 * this client is `createClient` plus viem's own tree-shakable actions, nothing hand-written.
 */
import { createClient, type Abi, type ContractFunctionArgs, type ContractFunctionName, type ReadContractParameters, type ReadContractReturnType, type Transport } from 'viem';
import {
  estimateFeesPerGas,
  estimateGas,
  getBalance,
  getBlock,
  getChainId,
  getCode,
  getGasPrice,
  getTransactionCount,
  getTransactionReceipt,
  readContract,
  sendRawTransaction,
  waitForTransactionReceipt,
} from 'viem/actions';

export function createReadClient(transport: Transport) {
  const c = createClient({ transport });
  return {
    estimateFeesPerGas: () => estimateFeesPerGas(c),
    estimateGas: (args: Parameters<typeof estimateGas>[1]) => estimateGas(c, args),
    getBalance: (args: Parameters<typeof getBalance>[1]) => getBalance(c, args),
    getTransactionCount: (args: Parameters<typeof getTransactionCount>[1]) => getTransactionCount(c, args),
    sendRawTransaction: (args: Parameters<typeof sendRawTransaction>[1]) => sendRawTransaction(c, args),
    waitForTransactionReceipt: (args: Parameters<typeof waitForTransactionReceipt>[1]) => waitForTransactionReceipt(c, args),
    getBlock: (args?: Parameters<typeof getBlock>[1]) => getBlock(c, args),
    getChainId: () => getChainId(c),
    getCode: (args: Parameters<typeof getCode>[1]) => getCode(c, args),
    getGasPrice: () => getGasPrice(c),
    getTransactionReceipt: (args: Parameters<typeof getTransactionReceipt>[1]) => getTransactionReceipt(c, args),
    readContract: ((args: Parameters<typeof readContract>[1]) => readContract(c, args)) as ReadContract,
    /** raw `eth_getLogs` (topics filtered by the caller; no ABI decoding pulled in) */
    getRawLogs: (filter: { address: `0x${string}`; topics: (`0x${string}` | null)[]; fromBlock: `0x${string}` | 'earliest'; toBlock: 'latest' }) =>
      c.request({ method: 'eth_getLogs', params: [filter] } as never) as Promise<{ transactionHash: `0x${string}` | null; removed?: boolean; topics: `0x${string}`[] }[]>,
    getBlockNumber: () => c.request({ method: 'eth_blockNumber' } as never).then((h) => BigInt(h as string)),
  };
}

/** viem's `readContract`, its result still typed by the ABI and function name. */
type ReadContract = <
  const abi extends Abi | readonly unknown[],
  functionName extends ContractFunctionName<abi, 'pure' | 'view'>,
  const args extends ContractFunctionArgs<abi, 'pure' | 'view', functionName>,
>(
  args: ReadContractParameters<abi, functionName, args>,
) => Promise<ReadContractReturnType<abi, functionName, args>>;

export type ReadClient = ReturnType<typeof createReadClient>;
