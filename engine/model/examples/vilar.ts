import type { ReactionNetworkInput } from '../schema.js';

const parameters = [
  ['alphaA', 50],
  ['alphaA_prime', 500],
  ['alphaR', 0.01],
  ['alphaR_prime', 50],
  ['betaA', 50],
  ['betaR', 5],
  ['deltaMA', 10],
  ['deltaMR', 0.5],
  ['deltaA', 1],
  ['deltaR', 0.2],
  ['gammaA', 1],
  ['gammaR', 1],
  ['gammaC', 2],
  ['thetaA', 50],
  ['thetaR', 100],
].map(([id, value]) => ({ id: id as string, value: value as number }));

const species = (initial: Record<string, number>) =>
  ['Da', 'Da_prime', 'Ma', 'Dr', 'Dr_prime', 'Mr', 'C', 'A', 'R'].map((id) => ({ id, initial: initial[id] ?? 0 }));

/**
 * The Vilar circadian oscillator: Vilar, Kueh, Barkai & Leibler (2002),
 * "Mechanisms of noise-resistance in genetic oscillators", PNAS 99:5988,
 * doi:10.1073/pnas.092133899. This is GillesPy2's corrected 16-reaction form
 * (its examples/StochasticTests/VilarOscillator), in GillesPy2's
 * mass-action convention with volume 1.
 */
export const vilar: ReactionNetworkInput = {
  name: 'vilar',
  description: 'Vilar oscillator (16 reactions, GillesPy2 version)',
  source: 'Vilar et al. 2002, PNAS 99:5988, doi:10.1073/pnas.092133899; GillesPy2 VilarOscillator',
  volume: 1,
  species: species({ Da: 1, Dr: 1 }),
  parameters,
  reactions: [
    { id: 's_Cdeg', reactants: { A: 1, R: 1 }, products: { C: 1 }, rate: 'gammaC' },
    { id: 's_Adeg', reactants: { A: 1 }, products: {}, rate: 'deltaA' },
    { id: 's_C2R', reactants: { C: 1 }, products: { R: 1 }, rate: 'deltaA' },
    { id: 's_Rdeg', reactants: { R: 1 }, products: {}, rate: 'deltaR' },
    { id: 's_A2Dap', reactants: { A: 1, Da: 1 }, products: { Da_prime: 1 }, rate: 'gammaA' },
    { id: 's_Dap2A', reactants: { Da_prime: 1 }, products: { A: 1, Da: 1 }, rate: 'thetaA' },
    { id: 's_Da2Ma', reactants: { Da: 1 }, products: { Da: 1, Ma: 1 }, rate: 'alphaA' },
    { id: 's_Dap2Ma', reactants: { Da_prime: 1 }, products: { Da_prime: 1, Ma: 1 }, rate: 'alphaA_prime' },
    { id: 's_Madeg', reactants: { Ma: 1 }, products: {}, rate: 'deltaMA' },
    { id: 's_Ma2A', reactants: { Ma: 1 }, products: { A: 1, Ma: 1 }, rate: 'betaA' },
    { id: 's_A2Drp', reactants: { A: 1, Dr: 1 }, products: { Dr_prime: 1 }, rate: 'gammaR' },
    { id: 's_Drp2A', reactants: { Dr_prime: 1 }, products: { A: 1, Dr: 1 }, rate: 'thetaR' },
    { id: 's_Dr2Mr', reactants: { Dr: 1 }, products: { Dr: 1, Mr: 1 }, rate: 'alphaR' },
    { id: 's_Drp2Mr', reactants: { Dr_prime: 1 }, products: { Dr_prime: 1, Mr: 1 }, rate: 'alphaR_prime' },
    { id: 's_Mrdeg', reactants: { Mr: 1 }, products: {}, rate: 'deltaMR' },
    { id: 's_Mr2R', reactants: { Mr: 1 }, products: { Mr: 1, R: 1 }, rate: 'betaR' },
  ],
  time: { end: 200, points: 201 },
};

/**
 * The 18-reaction variant used by Sciope's published examples (Singh et al.
 * 2020, Bioinformatics 36:3273, doi:10.1093/bioinformatics/btaa673), kept for
 * comparison with them: C = A = R = 10 at start, and unbinding split into a
 * release of the gene and a production of A. Sciope's file uses thetaA, not
 * thetaR, for Dr_prime → Dr_prime + A; we keep that.
 */
export const vilarSciope: ReactionNetworkInput = {
  ...vilar,
  name: 'vilar-sciope',
  description: 'Vilar oscillator, 18-reaction variant used in Sciope examples',
  source: 'Sciope examples (Singh et al. 2020, doi:10.1093/bioinformatics/btaa673)',
  species: species({ Da: 1, Dr: 1, C: 10, A: 10, R: 10 }),
  reactions: [
    ...vilar.reactions.filter((r) => r.id !== 's_Dap2A' && r.id !== 's_Drp2A'),
    { id: 's_Dap2Da', reactants: { Da_prime: 1 }, products: { Da: 1 }, rate: 'thetaA' },
    { id: 's_Dap2A', reactants: { Da_prime: 1 }, products: { Da_prime: 1, A: 1 }, rate: 'thetaA' },
    { id: 's_Drp2Dr', reactants: { Dr_prime: 1 }, products: { Dr: 1 }, rate: 'thetaR' },
    { id: 's_Drp2A', reactants: { Dr_prime: 1 }, products: { Dr_prime: 1, A: 1 }, rate: 'thetaA' },
  ],
  time: { end: 100, points: 101 },
};
