/** engine/stats/c2st: the classifier two-sample test (sbibm's accuracy metric) and its MLP classifier. */
export { c2st, resampleWeighted, type C2stOptions, type C2stResult } from './c2st.js';
export { trainMlpClassifier, ClassifierSettingsError, type MlpClassifier, type MlpClassifierOptions, type UniformSource } from './mlpClassifier.js';
