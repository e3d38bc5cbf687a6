/** A trusted-table entry that is malformed or conflicts with a known one. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}
