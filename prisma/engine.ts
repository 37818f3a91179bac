// Loads Prisma's own schema engine (the WebAssembly build) over a pg driver adapter. The native engine binary is
// downloaded from Prisma's servers, which some machines cannot reach; this build ships inside an npm package.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm'

const require = createRequire(import.meta.url)
let loaded = false

function loadWasm(): void {
  if (loaded) return
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm')
  const module = new WebAssembly.Module(readFileSync(wasmPath))
  const instance = new WebAssembly.Instance(module, {
    './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
  })
  bindings.__wbg_set_wasm(instance.exports)
  ;(instance.exports.__wbindgen_start as () => void)()
  loaded = true
}

export const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] }

export async function openSchemaEngine(databaseUrl: string, datamodel?: string): Promise<SchemaEngine> {
  loadWasm()
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }))
  // The engine class is exported by the bindings module once the wasm is set.
  const { SchemaEngine: Engine } = bindings as unknown as { SchemaEngine: typeof SchemaEngine }
  return Engine.new({ datamodels: datamodel ? [['schema.prisma', datamodel]] : undefined }, () => {}, adapter)
}
