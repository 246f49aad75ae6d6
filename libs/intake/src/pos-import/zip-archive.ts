/**
 * Just enough of the ZIP format to read an XLSX package without loading it: the central directory
 * (names, sizes, offsets), then each entry as a stream (stored or deflated). A file on disk is read
 * by ranges; a buffer (unit tests, small uploads) by slices.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As declared by the archive: a hint only, the reader counts what it really inflates. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): Readable;
  close(): Promise<void>;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff;
/** An XLSX package has a dozen parts; a directory announcing thousands is not one. */
const MAX_ENTRIES = 10_000;

export class ZipArchive {
  private constructor(
    private readonly source: ByteSource,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  static async open(input: string | Buffer): Promise<ZipArchive> {
    const source = typeof input === 'string' ? await fileSource(input) : bufferSource(input);
    try {
      return new ZipArchive(source, await readDirectory(source));
    } catch (error) {
      await source.close();
      throw error instanceof ZipFormatError ? error : new ZipFormatError(error instanceof Error ? error.message : String(error));
    }
  }

  /** The entry's bytes, inflated as they are read. */
  async stream(entry: ZipEntry): Promise<Readable> {
    const header = await this.source.read(entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError(`bad local header of ${entry.name}`);
    const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataOffset + entry.compressedSize > this.source.size) throw new ZipFormatError(`${entry.name} runs past the end of the file`);
    const raw = this.source.stream(dataOffset, entry.compressedSize);
    if (entry.method === 0) return raw;
    if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
    const inflate = createInflateRaw();
    raw.on('error', (error) => inflate.destroy(error));
    inflate.on('close', () => raw.destroy());
    return raw.pipe(inflate);
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

async function readDirectory(source: ByteSource): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(source.size, MAX_TAIL);
  const tail = await source.read(source.size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError('no end of central directory');
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not supported');
  if (count > MAX_ENTRIES || directoryOffset + directorySize > source.size) throw new ZipFormatError('implausible central directory');
  const directory = await source.read(directoryOffset, directorySize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipFormatError('broken central directory');
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const name = directory.toString('utf8', p + 46, p + 46 + nameLength).replace(/\\/g, '/');
    const entry: ZipEntry = {
      name,
      method: directory.readUInt16LE(p + 10),
      compressedSize: directory.readUInt32LE(p + 20),
      uncompressedSize: directory.readUInt32LE(p + 24),
      localHeaderOffset: directory.readUInt32LE(p + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
      throw new ZipFormatError('ZIP64 entries are not supported');
    }
    if (!entries.has(name)) entries.set(name, entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
    // Its own descriptor: a stream made from the shared handle closes the handle when it ends.
    stream: (offset, length) =>
      length === 0 ? Readable.from([]) : createReadStream(path, { start: offset, end: offset + length - 1, highWaterMark: 256 * 1024 }),
    close: () => handle.close(),
  };
}

function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: (offset, length) => Promise.resolve(buffer.subarray(offset, offset + length)),
    stream: (offset, length) => Readable.from([buffer.subarray(offset, offset + length)]),
    close: () => Promise.resolve(),
  };
}
