export { checkPathText, controlCharacterIndex, PathTextError } from './pathText.js';
export { expandHome } from './expandHome.js';
