/**
 * `fileinfo` object (EVE doc, "Event type: Fileinfo"): file.*, hashes to
 * file.hash.* and related.hash; the carrying protocol object (http, smtp, smb
 * ...) is mapped by its own module.
 */
import type { JsonObject } from '../../eve/json.js';
import { long, put, str } from '../values.js';
import { type Ecs, basename, bool, extension, jizo, keywords } from './build.js';
import { keepUnmapped, type KnownKeys, knownKeys } from './keep.js';

const FILE_KEYS: KnownKeys = knownKeys({
  filename: 'str', magic: 'str', mimetype: 'str', gaps: 'bool', state: 'str', md5: 'str', sha1: 'str', sha256: 'str', stored: 'bool',
  storing: 'bool', file_id: 'int', size: 'int', start: 'int', end: 'int', sid: 'words', tx_id: 'int',
});

const HASHES = ['md5', 'sha1', 'sha256'] as const;

export function mapFileinfo(s: Ecs, f: JsonObject): void {
  const file: Record<string, unknown> = {};
  const path = str(f.filename);
  if (path !== undefined) {
    // EVE filename is the name as carried by the protocol (an HTTP path, an SMB path ...).
    file.path = path;
    const name = basename(path);
    if (name !== '') {
      file.name = name;
      const ext = extension(name);
      if (ext !== undefined) file.extension = ext;
    }
  }
  const size = long(f.size);
  if (size !== undefined) file.size = size;
  const mime = str(f.mimetype);
  if (mime !== undefined) file.mime_type = mime;
  let hash: Record<string, string> | undefined;
  for (const h of HASHES) {
    const v = str(f[h]);
    if (v === undefined) continue;
    (hash ??= {})[h] = v;
    (s.hashes ??= []).push(v);
  }
  if (hash !== undefined) file.hash = hash;
  for (const _ in file) {
    (s.doc as Record<string, unknown>).file = file;
    break;
  }

  const j = jizo(s, 'fileinfo');
  put(j, 'magic', str(f.magic));
  put(j, 'state', str(f.state));
  put(j, 'gaps', bool(f.gaps));
  put(j, 'stored', bool(f.stored));
  put(j, 'storing', bool(f.storing));
  put(j, 'file_id', long(f.file_id));
  put(j, 'tx_id', long(f.tx_id));
  put(j, 'start', long(f.start));
  put(j, 'end', long(f.end));
  put(j, 'sid', keywords(f.sid));
  keepUnmapped(s, 'fileinfo', f, FILE_KEYS);
}
