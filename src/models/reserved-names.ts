/**
 * Names the models refuse whatever their pattern allows: built-in property names of every object, and Windows device
 * names.
 *
 * @module
 */

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Tells whether a name would collide with a built-in property of every object (`constructor`, ...) when used as a
 * record key.
 *
 * @param name - A key.
 * @returns `true` for names that must be refused.
 */
export function isReservedName(name: string): boolean {
  return PROTOTYPE_NAMES.has(name);
}

/**
 * Device names Windows reserves in every folder, with or without an extension: a file named `con.yaml` or `aux`
 * cannot be created or checked out there. From Microsoft's "Naming Files, Paths, and Namespaces" (learn.microsoft.com,
 * win32/fileio/naming-a-file, "Naming Conventions"): CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9 (git for Windows refuses
 * the same list; COM0 and LPT0 stay allowed there).
 */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;

/**
 * Tells whether a file name is one Windows reserves for a device (`con`, `nul`, `com1`, `lpt9.yaml`, ...), whatever
 * its case and extension.
 *
 * @param name - A file name or a name that becomes one.
 * @returns `true` for names that must be refused.
 */
export function isWindowsDeviceName(name: string): boolean {
  return WINDOWS_DEVICE_NAME.test(name);
}
