/** Writes schema/plasticity.schema.json from the TypeBox definition (for editors and the extension). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputSchema } from '../src/engine/config/schema';

const dir = join(__dirname, '..', 'schema');
mkdirSync(dir, { recursive: true });
const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(inputSchema())) };
writeFileSync(join(dir, 'plasticity.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
