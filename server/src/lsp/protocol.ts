// Slimfile's own requests on top of LSP, shared by the server, the VS Code client and the tests.
// Plain types only: the client bundles this file, so it imports nothing.

/** Plans a `.dockerignore` for a Dockerfile's build context (or a folder); writes nothing. */
export const DOCKERIGNORE_REQUEST = 'slimfile/dockerignore';
/** The edits that turn a document into a multi-stage build. */
export const CONVERT_REQUEST = 'slimfile/convertToMultiStage';

export interface DockerignoreParams {
  /** The Dockerfile whose build context gets the ignore file. */
  uri?: string;
  /** A folder (file system path) to use as the context instead, when no Dockerfile is open. */
  folder?: string;
}

export interface DockerignoreResult {
  /** The ignore file (file system path and URI). */
  file?: string;
  fileUri?: string;
  /** Whether it exists now, and its text as read. */
  exists?: boolean;
  existing?: string;
  /** What to append at the end (the whole text for a new file); '' when nothing is new. */
  appended?: string;
  added?: string[];
  /** Patterns left out or excepted because a Dockerfile copies what they match. */
  kept?: string[];
  truncated?: boolean;
  /** Set instead of the above when no plan could be made. */
  error?: string;
}

export interface ConvertParams {
  uri: string;
  /** The document version the client sees; a request for another version is refused. */
  version?: number;
}

export interface ConvertResult {
  /** LSP text edits (zero-based lines and UTF-16 characters). */
  edits?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[];
  /** Why there are no edits. */
  reason?: string;
}

/** The command the size CodeLens runs, with the document URI and its `SizePart`s as arguments. */
export const SHOW_BREAKDOWN_COMMAND = 'slimfile.showSizeBreakdown';

/** One part of the image size estimate, as the CodeLens passes it to the breakdown. */
export interface SizePart {
  /** The size as shown ("370 MB"), or "unknown". */
  size: string;
  /** What it is: "base python:3.12", "COPY . ", "RUN …". */
  label: string;
  /** Zero-based line of its instruction. */
  line: number;
  /** Why the size is not known, when it is not. */
  note?: string;
}
