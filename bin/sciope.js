#!/usr/bin/env node
// Entry point of the `sciope` command. The engine is TypeScript; tsx compiles
// it on the fly (esbuild, cached), so the CLI runs straight from a checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv);
