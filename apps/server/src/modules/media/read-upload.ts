import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { invalidMediaSize, type UploadedFile } from './service.ts';

/**
 * Reads the first file part of a multipart request into memory, never more than `maxBytes`
 * (a larger file is refused with 40006 without being buffered). Undefined when the request is not
 * multipart or has no file under one of `fieldNames`.
 */
export async function readUpload(req: FastifyRequest, maxBytes: number, fieldNames: readonly string[]): Promise<UploadedFile | undefined> {
  if (!req.isMultipart()) return undefined;
  let part;
  try {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch {
    return undefined;
  }
  if (!part || !fieldNames.includes(part.fieldname)) {
    part?.file.resume();
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw invalidMediaSize(maxBytes);
    throw err;
  }
  // toBuffer() misses a limit hit in the last chunk: the stream is then silently truncated.
  if (part.file.truncated) throw invalidMediaSize(maxBytes);
  return { filename: part.filename, bytes };
}
