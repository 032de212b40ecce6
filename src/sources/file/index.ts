import type { SourceFactory } from '../../pipeline/types.js';
import { fileSourceSchema, type FileSourceConfig } from './config.js';
import { FileSource } from './source.js';

export type { FileSourceConfig } from './config.js';
export { FileSource } from './source.js';

/** The `file` source type: tails files and globs with on-disk checkpoints. */
export const fileSourceFactory: SourceFactory<FileSourceConfig> = {
  type: 'file',
  schema: fileSourceSchema,
  create: (name, config, deps) => new FileSource(name, config, deps),
};
