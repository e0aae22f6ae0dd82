/** Thrown when an output folder is not a complete, unedited artifact set, or cannot safely be read or written. */
export class ArtifactSetError extends Error {
  /** The file that failed, relative to the output folder. */
  readonly file: string;

  /**
   * @param file - The file that failed.
   * @param message - What is wrong and what to do.
   * @param options - The underlying cause, if any.
   */
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ArtifactSetError';
    this.file = file;
  }
}
