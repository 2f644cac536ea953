import { extname } from 'node:path';
import { existsSync } from 'node:fs';
import { exampleNames, getExample, validateModel, type ReactionNetwork } from '../model/index.js';
import { InputFileError, readJsonFile } from './jsonFile.js';

/**
 * Resolve the CLI's model argument: a built-in example name or a path to a
 * model JSON file. Validation errors name the file and the field.
 */
export function loadModelArgument(argument: string): ReactionNetwork {
  const example = getExample(argument);
  if (example && !existsSync(argument)) return validateModel(example, `example ${argument}`);
  const extension = extname(argument).toLowerCase();
  if (extension === '.xml' || extension === '.sbml') {
    throw new InputFileError(argument, 'SBML import is not available in this version; convert the model to the JSON format (see README, "Model format")');
  }
  if (!existsSync(argument)) {
    throw new InputFileError(argument, `no such file, and not a built-in example (examples: ${exampleNames().join(', ')})`);
  }
  return validateModel(readJsonFile(argument), argument);
}
