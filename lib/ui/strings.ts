/**
 * User-facing strings produced by lib/ui (choices, labels and validation messages the pages
 * show). They live here, not in components/strings.ts, so lib never imports components;
 * components/strings.ts spreads them into `S`, so a translation still finds every string of the
 * pages in those two files. English shipped.
 */
export const UI_STRINGS = {
  /** the auto-lock select's choices (lib/ui/format autoLockChoices) */
  autoLockChoice: {
    minutes: (m: number) => (m === 1 ? 'After 1 minute idle' : `After ${m} minutes idle`),
    browserClose: 'When the browser closes',
    never: 'Never while the browser runs',
  },
  /** budget periods (lib/ui/format periodLabel) */
  period: { day: 'Today', week: 'This week', month: 'This month', lifetime: 'Lifetime' },
  /** a field or notice set by the operator's policy */
  managedLabel: 'Managed by your organisation',
  /** the site editor's cap fields (lib/ui/sitePolicy CAP_LABELS) */
  capLabels: {
    perPaymentUsd: 'Per payment',
    dayUsd: 'Per day',
    weekUsd: 'Per week',
    monthUsd: 'Per month',
    lifetimeUsd: 'Lifetime',
  },
  /** the new-password strength hint (lib/ui/password) */
  passwordStrength: {
    labels: ['Too short', 'Weak', 'Fair', 'Good', 'Strong'],
    tooShort: (min: number) => `Use at least ${min} characters.`,
    common: 'This is a very common password or pattern; choose something unique.',
    longer: 'Longer is stronger: 12 characters or more, or a few unrelated words.',
    mix: 'Mix upper and lower case, digits and symbols.',
  },
  /** the password + confirmation check before create/import (lib/ui/password) */
  passwordPair: {
    tooShort: (min: number) => `The password needs at least ${min} characters.`,
    mismatch: 'The two passwords do not match.',
  },
  /** a site typed by the user (lib/ui/format parseSiteOrigin) */
  siteOrigin: {
    empty: 'Enter a site such as https://example.com.',
    scheme: 'The site must start with https:// or http://.',
    invalid: 'That is not a valid web address.',
    credentials: 'Leave out user names and passwords.',
    originOnly: 'Enter only the origin (scheme, host and port), without a path.',
    noHost: 'The site needs a host name.',
  },
} as const;
