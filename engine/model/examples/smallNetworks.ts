import type { ReactionNetworkInput } from '../schema.js';

/** Genetic toggle switch: Gardner, Cantor & Collins (2000), Nature 403:339, doi:10.1038/35002131 (dimensionless form, GillesPy2's ToggleSwitch example). */
export const toggleSwitch: ReactionNetworkInput = {
  name: 'toggle-switch',
  description: 'Genetic toggle switch with Hill-type repression',
  source: 'Gardner et al. 2000, doi:10.1038/35002131; GillesPy2 ToggleSwitch',
  species: [
    { id: 'U', initial: 10 },
    { id: 'V', initial: 10 },
  ],
  parameters: [
    { id: 'alpha1', value: 1 },
    { id: 'alpha2', value: 1 },
    { id: 'beta', value: 2 },
    { id: 'gamma', value: 2 },
    { id: 'mu', value: 1 },
  ],
  reactions: [
    { id: 'cu', products: { U: 1 }, propensity: 'alpha1/(1+V^beta)' },
    { id: 'cv', products: { V: 1 }, propensity: 'alpha2/(1+U^gamma)' },
    { id: 'du', reactants: { U: 1 }, propensity: 'mu*U' },
    { id: 'dv', reactants: { V: 1 }, propensity: 'mu*V' },
  ],
  time: { end: 50, points: 101 },
};

/** Linear birth-death, DSMTS case 00001 (Evans, Gillespie & Wilkinson 2008, doi:10.1093/bioinformatics/btm566). */
export const birthDeath: ReactionNetworkInput = {
  name: 'birth-death',
  description: 'Linear birth-death process X → 2X, X → ∅',
  source: 'DSMTS 00001, doi:10.1093/bioinformatics/btm566',
  species: [{ id: 'X', initial: 100 }],
  parameters: [
    { id: 'lambda', value: 0.1 },
    { id: 'mu', value: 0.11 },
  ],
  reactions: [
    { id: 'birth', reactants: { X: 1 }, products: { X: 2 }, rate: 'lambda' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
  time: { end: 50, points: 51 },
};

/** Immigration-death, DSMTS case 00020; at stationarity X is Poisson(alpha/mu). */
export const immigrationDeath: ReactionNetworkInput = {
  name: 'immigration-death',
  description: 'Immigration-death process ∅ → X, X → ∅',
  source: 'DSMTS 00020, doi:10.1093/bioinformatics/btm566',
  species: [{ id: 'X', initial: 0 }],
  parameters: [
    { id: 'alpha', value: 1 },
    { id: 'mu', value: 0.1 },
  ],
  reactions: [
    { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
  time: { end: 50, points: 51 },
};

/**
 * Dimerisation, DSMTS case 00030: 2P ⇌ P2 with propensities k1·P(P−1)/2 and
 * k2·P2. In our mass-action convention 2P has propensity k·P(P−1)/vol, so
 * the rate constant is written k1/2.
 */
export const dimerisation: ReactionNetworkInput = {
  name: 'dimerisation',
  description: 'Reversible dimerisation 2P ⇌ P2',
  source: 'DSMTS 00030, doi:10.1093/bioinformatics/btm566',
  species: [
    { id: 'P', initial: 100 },
    { id: 'P2', initial: 0 },
  ],
  parameters: [
    { id: 'k1', value: 0.001 },
    { id: 'k2', value: 0.01 },
  ],
  reactions: [
    { id: 'dimerisation', reactants: { P: 2 }, products: { P2: 1 }, rate: 'k1/2' },
    { id: 'dissociation', reactants: { P2: 1 }, products: { P: 2 }, rate: 'k2' },
  ],
  time: { end: 50, points: 51 },
};

/** Michaelis-Menten enzyme kinetics with stochastic rate constants from Wilkinson (2018), Stochastic Modelling for Systems Biology, 3rd ed., §7.3 (doi:10.1201/9781351000918). */
export const michaelisMenten: ReactionNetworkInput = {
  name: 'michaelis-menten',
  description: 'Enzyme kinetics S + E ⇌ SE → P + E',
  source: 'Wilkinson, Stochastic Modelling for Systems Biology, doi:10.1201/9781351000918',
  species: [
    { id: 'S', initial: 301 },
    { id: 'E', initial: 120 },
    { id: 'SE', initial: 0 },
    { id: 'P', initial: 0 },
  ],
  parameters: [
    { id: 'c1', value: 1.66e-3 },
    { id: 'c2', value: 1e-4 },
    { id: 'c3', value: 0.1 },
  ],
  reactions: [
    { id: 'bind', reactants: { S: 1, E: 1 }, products: { SE: 1 }, rate: 'c1' },
    { id: 'unbind', reactants: { SE: 1 }, products: { S: 1, E: 1 }, rate: 'c2' },
    { id: 'convert', reactants: { SE: 1 }, products: { P: 1, E: 1 }, rate: 'c3' },
  ],
  time: { end: 50, points: 101 },
};

/** Stochastic Lotka-Volterra predator-prey, Wilkinson (2018), §6.4 (doi:10.1201/9781351000918). */
export const lotkaVolterra: ReactionNetworkInput = {
  name: 'lotka-volterra',
  description: 'Predator-prey: prey birth, predation, predator death',
  source: 'Wilkinson, Stochastic Modelling for Systems Biology, doi:10.1201/9781351000918',
  species: [
    { id: 'prey', initial: 50 },
    { id: 'predator', initial: 100 },
  ],
  parameters: [
    { id: 'c1', value: 1 },
    { id: 'c2', value: 0.005 },
    { id: 'c3', value: 0.6 },
  ],
  reactions: [
    { id: 'prey_birth', reactants: { prey: 1 }, products: { prey: 2 }, rate: 'c1' },
    { id: 'predation', reactants: { prey: 1, predator: 1 }, products: { predator: 2 }, rate: 'c2' },
    { id: 'predator_death', reactants: { predator: 1 }, rate: 'c3' },
  ],
  time: { end: 30, points: 301 },
};
