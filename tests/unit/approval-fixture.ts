/** A pending approval's request part, as the payment flow queues it (tests of the ApprovalQueue). */
import type { ApprovalDto } from '../../lib/messaging/contract';

export type ApprovalRequestDto = Omit<ApprovalDto, 'id' | 'createdAt' | 'expiresAt'>;

export function approvalDto(site: string, path: string, amountAtomic = '10000'): ApprovalRequestDto {
  return {
    site,
    requestOrigin: site,
    resourceUrl: `${site}${path}`,
    method: 'GET',
    kind: 'request',
    x402Version: 2,
    options: [
      {
        index: 0, rail: 'evm', network: 'eip155:31337', networkName: 'Local', asset: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', symbol: 'USDC', decimals: 6,
        amountAtomic, amountToken: '0.01 USDC', amountUsd: '$0.01', payTo: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', maxTimeoutSeconds: 60, transferMethod: 'eip3009', scheme: 'exact',
      },
    ],
    rejected: [],
    selectedIndex: 0,
  } as unknown as ApprovalRequestDto;
}
