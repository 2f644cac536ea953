/** Molecule counts for the stochastic methods: a model in amounts or concentrations → a count model, with a report. */
export { toMoleculeCounts, type CountConversion, type CountConversionOptions } from './toMoleculeCounts.js';
export { describeConversion } from './describeConversion.js';
export type { ConversionReport, Feasibility, ReactionConversion, RoundedCount, SpeciesConversion } from './conversionReport.js';
export { CountConversionError, type CountConversionProblem } from './CountConversionError.js';
export { AVOGADRO, readSubstanceUnit, type SubstanceUnit } from './substanceUnits.js';
export { MAX_EXPECTED_EVENTS, SSA_EVENTS_PER_SECOND, propensitiesAtStart } from './feasibility.js';
