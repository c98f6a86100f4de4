// The `credentials` option the simulators share: what a caller gives is checked before any certificate is issued.

/** Checks the `credentials` option of a simulator: IDs and names present, IDs unique, PINs digits. */
export function checkCredentialList(
  list: readonly { id: string; name: string; kind?: string; pin?: string | undefined }[],
  where: string,
): void {
  const seen = new Set<string>();
  for (const [i, c] of list.entries()) {
    if (typeof c.id !== 'string' || c.id.trim().length === 0)
      throw new Error(`${where}[${i}]: the credential ID is required`);
    if (seen.has(c.id)) throw new Error(`${where}[${i}]: credential ID ${c.id} is given twice`);
    seen.add(c.id);
    if (typeof c.name !== 'string' || c.name.trim().length === 0)
      throw new Error(`${where}[${i}]: the holder's name is required`);
    if (c.kind !== undefined && c.kind !== 'rsa' && c.kind !== 'ec')
      throw new Error(`${where}[${i}]: kind is rsa or ec`);
    if (c.pin !== undefined && !/^\d{4,8}$/.test(c.pin))
      throw new Error(`${where}[${i}]: the PIN is 4 to 8 digits`);
  }
}
