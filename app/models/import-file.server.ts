// Owns the uploaded CSV file of an import: kept as a PostgreSQL large object so that a worker on another machine
// reads it (PostgreSQL is the one store every process shares; a file under a data directory would tie the import to
// the web machine), written and read in chunks so that neither side holds the whole file, and unlinked once the
// import is over. Also detects what Excel and others produce: UTF-8 with or without BOM, or Windows-1252; comma or
// semicolon.
import { pipeline, Readable } from 'node:stream'
import { parse, type Parser } from 'csv-parse'
import iconv from 'iconv-lite'
import type { Prisma } from '~/generated/prisma/client.ts'
import { prisma } from '~/utils/db.server.ts'

export type FileEncoding = 'utf-8' | 'windows-1252'
export type Delimiter = ',' | ';'

export interface StoredFile {
  /** The large object's id (a PostgreSQL oid). */
  oid: number
  size: number
  encoding: FileEncoding
  delimiter: Delimiter
  headers: string[]
  /** The first data rows, shown beside the mapping so that staff recognise each column. */
  sample: string[][]
}

export class ImportFileError extends Error {
  constructor(readonly messageKey: string) {
    super(messageKey)
    this.name = 'ImportFileError'
  }
}

const writeChunkBytes = 1024 * 1024
const readChunkBytes = 1024 * 1024
const sampleRows = 3

/** The bytes of the upload written to a new large object, with the encoding told by a whole-file UTF-8 check. */
async function writeLargeObject(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ oid: number; size: number; encoding: FileEncoding }> {
  // A fatal streaming decoder throws at the first byte sequence that is not UTF-8, wherever it sits in the file.
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  let validUtf8 = true
  let oid: number | null = null
  let size = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  const flush = async () => {
    if (pendingBytes === 0) return
    const bytes = Buffer.concat(pending)
    pending = []
    pendingBytes = 0
    if (oid === null) {
      const [row] = await prisma.$queryRaw<{ oid: bigint }[]>`SELECT lo_from_bytea(0, ${bytes})::int8 AS oid`
      oid = Number(row?.oid)
    } else {
      await prisma.$executeRaw`SELECT lo_put(${oid}::oid, ${size - bytes.length}::int8, ${bytes})`
    }
  }
  try {
    for await (const chunk of chunks) {
      size += chunk.byteLength
      if (size > maxBytes) throw new ImportFileError('imports.errors.tooLarge')
      if (validUtf8) {
        try {
          utf8.decode(chunk, { stream: true })
        } catch {
          validUtf8 = false
        }
      }
      pending.push(Buffer.from(chunk))
      pendingBytes += chunk.byteLength
      if (pendingBytes >= writeChunkBytes) await flush()
    }
    if (validUtf8) {
      try {
        utf8.decode()
      } catch {
        validUtf8 = false
      }
    }
    await flush()
  } catch (error) {
    if (oid !== null) await deleteStoredFile(oid)
    throw error
  }
  if (oid === null || size === 0) throw new ImportFileError('imports.errors.empty')
  return { oid, size, encoding: validUtf8 ? 'utf-8' : 'windows-1252' }
}

/** Whether the stored file is still there (it is gone once an import ended, or if someone removed it). */
export async function storedFileExists(oid: number): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ found: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = ${oid}::oid) AS found`
  return row?.found === true
}

/** The large object, chunk after chunk. */
async function* readLargeObject(oid: number): AsyncGenerator<Buffer> {
  for (let offset = 0; ; offset += readChunkBytes) {
    const [row] = await prisma.$queryRaw<{ chunk: Uint8Array }[]>`SELECT lo_get(${oid}::oid, ${offset}::int8, ${readChunkBytes}::int4) AS chunk`
    const chunk = row?.chunk
    if (!chunk || chunk.byteLength === 0) return
    yield Buffer.from(chunk)
    if (chunk.byteLength < readChunkBytes) return
  }
}

/**
 * The number of data rows, estimated from the line breaks (a quoted cell may hold one): enough for a progress bar,
 * and read without parsing. The run sets the exact count when it ends.
 */
export async function estimateDataRows(oid: number): Promise<number> {
  let breaks = 0
  let last = 0x0a
  for await (const chunk of readLargeObject(oid)) {
    for (let index = chunk.indexOf(0x0a); index >= 0; index = chunk.indexOf(0x0a, index + 1)) breaks++
    last = chunk[chunk.length - 1] ?? last
  }
  const lines = last === 0x0a ? breaks : breaks + 1
  return Math.max(0, lines - 1)
}

/** Comma or semicolon, whichever the header line holds more of outside quotes (Excel in French writes `;`). */
export function detectDelimiter(firstLine: string): Delimiter {
  let inQuotes = false
  let commas = 0
  let semicolons = 0
  for (const char of firstLine) {
    if (char === '"') inQuotes = !inQuotes
    else if (!inQuotes && char === ',') commas++
    else if (!inQuotes && char === ';') semicolons++
  }
  return semicolons > commas ? ';' : ','
}

/** A streaming parser over the stored file, decoded; yields each record (the header row included) as strings. */
export function openStoredFile(file: Pick<StoredFile, 'oid' | 'encoding' | 'delimiter'>): Parser {
  const parser = parse({ delimiter: file.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true })
  // iconv decodes characters split across chunks correctly and drops a UTF-8 BOM. pipeline (not .pipe) carries an
  // error of any stage, e.g. a large object deleted meanwhile, to the parser, whose reader then rejects: with .pipe
  // such an error was unhandled and took the whole worker process down.
  pipeline(Readable.from(readLargeObject(file.oid)), iconv.decodeStream(file.encoding === 'utf-8' ? 'utf8' : 'win1252'), parser, () => {})
  return parser
}

async function firstLineOf(oid: number, encoding: FileEncoding): Promise<string> {
  const [row] = await prisma.$queryRaw<{ chunk: Uint8Array }[]>`SELECT lo_get(${oid}::oid, 0, 65536) AS chunk`
  const text = iconv.decode(Buffer.from(row?.chunk ?? new Uint8Array()), encoding === 'utf-8' ? 'utf8' : 'win1252')
  return text.split(/\r?\n/, 1)[0] ?? ''
}

/**
 * Stores an upload and reads what the mapping step needs (encoding, delimiter, header names, a few rows). Throws
 * ImportFileError (with an i18n key) for an empty, oversized or header-less file; nothing is left stored then.
 */
export async function storeUploadedFile(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
  const { oid, size, encoding } = await writeLargeObject(chunks, maxBytes)
  try {
    const delimiter = detectDelimiter(await firstLineOf(oid, encoding))
    const records: string[][] = []
    const parser = openStoredFile({ oid, encoding, delimiter })
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        records.push(record.map((cell) => cell.trim()))
        if (records.length > sampleRows) break
      }
    } finally {
      parser.destroy()
    }
    const [headers, ...sample] = records
    if (!headers || headers.every((name) => name === '')) throw new ImportFileError('imports.errors.noHeader')
    return { oid, size, encoding, delimiter, headers, sample }
  } catch (error) {
    await deleteStoredFile(oid)
    if (error instanceof ImportFileError) throw error
    throw new ImportFileError('imports.errors.unreadable')
  }
}

/**
 * Unlinks the large object; a file already gone is not an error (a retried job may get here twice). Inside `tx` the
 * unlink commits or rolls back with the rest (large objects are transactional).
 */
export async function deleteStoredFile(oid: number, tx?: Prisma.TransactionClient): Promise<void> {
  await (tx ?? prisma).$executeRaw`SELECT lo_unlink(${oid}::oid) FROM pg_largeobject_metadata WHERE oid = ${oid}::oid`
}
