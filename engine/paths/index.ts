export { checkPathText, controlCharacterIndex, PathTextError } from './pathText.js';
