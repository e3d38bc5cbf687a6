/**
 * The addresses of one account, each with its rail tag and copy button: the EVM address
 * (m/44'/60'/0'/0/i), the Solana address (m/44'/501'/i'/0') and the TRON address
 * (m/44'/195'/0'/0/i, base58check T…). A wallet imported from a raw EVM private key has no
 * Solana account (that is said instead of an address); its TRON account is the same key.
 */
import { AddressView } from './AddressView';
import { RailTag } from './RailTag';
import { S } from './strings';

export const NO_SVM_FROM_KEY = S.addresses.noSvmFromKey;
export const NO_SVM = S.addresses.noSvm;

export interface AccountAddressesProps {
  evm?: string;
  svm?: string;
  /** TRON address (base58check), when the account has one */
  tron?: string;
  /** data-testid of the TRON address */
  tronTestId?: string;
  /** the wallet's kind: explains a missing Solana address */
  kind?: 'mnemonic' | 'privateKey';
  full?: boolean;
  evmTestId?: string;
  svmTestId?: string;
  /** data-testid of the "no Solana account" note */
  noSvmTestId?: string;
  /** data-testid suffix of the copy buttons ("copy-address", "copy-svm-address" + suffix) */
  copySuffix?: string;
  /** screen-reader name of the account, e.g. "Account 2", when several are listed */
  accountName?: string;
}

export function AccountAddresses(p: AccountAddressesProps) {
  const suffix = p.copySuffix ?? '';
  const of = S.addresses.of(p.accountName);
  return (
    <ul className="addresses" aria-label={S.addresses.list(p.accountName)}>
      {p.evm && (
        <li>
          <RailTag rail="evm" />
          <AddressView
            address={p.evm}
            full={p.full}
            testId={p.evmTestId}
            copyLabel={S.addresses.copyEvm(of)}
            copyWhat={S.addresses.evm(of)}
            copyTestId={`copy-address${suffix}`}
          />
        </li>
      )}
      <li>
        <RailTag rail="svm" />
        {p.svm ? (
          <AddressView
            address={p.svm}
            full={p.full}
            testId={p.svmTestId}
            copyLabel={S.addresses.copySvm(of)}
            copyWhat={S.addresses.svm(of)}
            copyTestId={`copy-svm-address${suffix}`}
          />
        ) : (
          <span className="small muted" data-testid={p.noSvmTestId}>
            {p.kind === 'mnemonic' ? NO_SVM : NO_SVM_FROM_KEY}
          </span>
        )}
      </li>
      {p.tron && (
        <li>
          <RailTag rail="tron" />
          <AddressView
            address={p.tron}
            full={p.full}
            testId={p.tronTestId}
            copyLabel={S.addresses.copyTron(of)}
            copyWhat={S.addresses.tron(of)}
            copyTestId={`copy-tron-address${suffix}`}
          />
        </li>
      )}
    </ul>
  );
}
