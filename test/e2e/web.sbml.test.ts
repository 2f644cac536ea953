import { afterEach, describe, expect, it } from 'vitest';
import { api, openApp, skipReason, step, type Session } from './harness';

/**
 * A real-world SBML model in the app (issue 14), in web mode: a model in
 * concentrations with a compartment, a rate rule and a delayed event is
 * imported, the Model view shows what the tables cannot (compartments, the
 * kinds of rules, event timing, units), the preview runs the deterministic
 * simulator by default, and the exact SSA runs it converted to molecule
 * counts in the substance unit the user picks, saying what the conversion did.
 */
const reason = skipReason();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

const math = (body: string) => `<math xmlns="http://www.w3.org/1998/Math/MathML">${body}</math>`;

/** S → P in a 2-litre cell, in mmol/l; the rate constant k decays by a rate rule; 2 s after S < 0.5 mM, S is refilled. */
const CONCENTRATION_SBML = `<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="refill_model" name="Refilled conversion" substanceUnits="mmol" timeUnits="second" volumeUnits="litre" extentUnits="mmol">
    <listOfUnitDefinitions>
      <unitDefinition id="mmol"><listOfUnits><unit kind="mole" exponent="1" scale="-3" multiplier="1"/></listOfUnits></unitDefinition>
    </listOfUnitDefinitions>
    <listOfCompartments><compartment id="cell" spatialDimensions="3" size="2" constant="true"/></listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="cell" initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="P" compartment="cell" initialConcentration="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.5" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <rateRule variable="k">${math('<apply><times/><cn>-0.01</cn><ci>k</ci></apply>')}</rateRule>
    </listOfRules>
    <listOfReactions>
      <reaction id="convert" reversible="false">
        <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="P" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>${math('<apply><times/><ci>k</ci><ci>S</ci><ci>cell</ci></apply>')}</kineticLaw>
      </reaction>
    </listOfReactions>
    <listOfEvents>
      <event id="refill" name="refill S" useValuesFromTriggerTime="true">
        <trigger initialValue="true" persistent="true">${math('<apply><lt/><ci>S</ci><cn>0.5</cn></apply>')}</trigger>
        <delay>${math('<cn>2</cn>')}</delay>
        <listOfEventAssignments><eventAssignment variable="S">${math('<cn>1</cn>')}</eventAssignment></listOfEventAssignments>
      </event>
    </listOfEvents>
  </model>
</sbml>`;

describe.skipIf(reason !== null)(`web mode: an SBML model beyond molecule counts${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('shows compartments, rules, event timing and units, previews with the ODE, and runs the SSA in molecule counts', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;

    await step(s, 'import', async () => {
      const imported = await api<{ model: { id: number; name: string; countModel: boolean } }>(s.server.url, 'models.importSbml', {
        name: 'refill.xml',
        xml: CONCENTRATION_SBML,
      });
      expect(imported.model.name).toBe('Refilled conversion');
      expect(imported.model.countModel).toBe(false);
      await page.reload();
      await page.getByTestId(`sidebar-model-${imported.model.id}`).click();
      await page.getByTestId('model-compartments').waitFor();
    });

    await step(s, 'structure', async () => {
      expect(await page.getByTestId('model-compartments').textContent()).toMatch(/cell\s*2/);
      const species = await page.getByTestId('model-species-notes').textContent();
      expect(species).toContain('concentration');
      expect(await page.getByTestId('model-rules').textContent()).toContain('dk/dt = -0.01 * k');
      const events = await page.getByTestId('model-events').textContent();
      expect(events).toContain('refill S');
      expect(events).toContain('after 2');
      expect(await page.getByTestId('model-beyond-counts').textContent()).toContain('concentrations');
      expect(await page.getByTestId('model-units').textContent()).toContain('mmol');
    });

    await step(s, 'preview-ode', async () => {
      expect(await page.getByTestId('preview-method').inputValue()).toBe('ode');
      await page.getByTestId('preview-tend').fill('20');
      await page.getByTestId('preview-runs').fill('1');
      await page.getByTestId('preview-run').click();
      await page.getByTestId('preview-stats').waitFor();
      await page.getByTestId('preview-chart').scrollIntoViewIfNeeded();
      await s.screenshot('model-sbml-concentrations-ode');
      // Before the first refill, S = exp(-∫k) with k = 0.5 e^(-0.01 t): S(2) = exp(-50 (1 - e^(-0.02))) = 0.371552...
      const preview = await api<{ species: string[]; data: number[]; time: number[] }>(s.server.url, 'simulate.preview', {
        modelId: 1,
        runs: 1,
        tEnd: 20,
        points: 21,
        method: 'ode',
      });
      const S = preview.data.slice(0, preview.time.length);
      expect(S[0]).toBeCloseTo(1, 12);
      expect(Math.abs(S[2] - Math.exp(-50 * (1 - Math.exp(-0.02))))).toBeLessThan(1e-5);
      // The refill (2 s after S < 0.5) brings S back to 1 mM: it rises between samples at least once.
      expect(S.some((x, i) => i > 0 && x > S[i - 1])).toBe(true);
    });

    await step(s, 'ssa-refused', async () => {
      // A rate rule and a delayed event have no meaning in molecule counts: refused, each with its reason.
      await page.getByTestId('preview-method').selectOption('ssa');
      await page.getByTestId('preview-substance-unit').waitFor();
      await page.getByTestId('preview-run').click();
      await page.getByTestId('error-problems').waitFor();
      const problems = await page.getByTestId('error-problems').textContent();
      expect(problems).toMatch(/rule "k".*rate rule on k/s);
      expect(problems).toMatch(/event "refill".*delay/s);
    });

    await step(s, 'ssa-in-counts', async () => {
      // The same conversion without the rate rule and the delayed refill: convertible.
      const plain = CONCENTRATION_SBML.replace(/<listOfRules>[\s\S]*<\/listOfRules>/, '')
        .replace(/<listOfEvents>[\s\S]*<\/listOfEvents>/, '')
        .replace('constant="false"/>\n    </listOfParameters>', 'constant="true"/>\n    </listOfParameters>')
        .replace('name="Refilled conversion"', 'name="Plain conversion"');
      const imported = await api<{ model: { id: number } }>(s.server.url, 'models.importSbml', { name: 'plain.xml', xml: plain });
      await page.reload();
      await page.getByTestId(`sidebar-model-${imported.model.id}`).click();
      await page.getByTestId('preview-method').selectOption('ssa');
      await page.getByTestId('preview-tend').fill('20');
      // In mmol, 1 mM × 2 l = 2 mmol = 1.2e21 molecules: far beyond the SSA; the app says so instead of running for ages.
      await page.getByTestId('preview-run').click();
      await page.getByTestId('preview-error').waitFor();
      expect(await page.getByTestId('preview-error').textContent()).toMatch(/reaction events per trajectory/);
      // Read as items (molecules), 1 mM × 2 l is 2 molecules of S: the SSA runs and the conversion is listed.
      await page.getByTestId('preview-substance-unit').fill('item');
      await page.getByTestId('preview-runs').fill('5');
      await page.getByTestId('preview-run').click();
      await page.getByTestId('preview-notes').waitFor();
      expect(await page.getByTestId('preview-notes').textContent()).toMatch(/initial count of S: 2\b/);
      await page.getByTestId('preview-stats').waitFor();
      await page.getByTestId('preview-chart').scrollIntoViewIfNeeded();
      await s.screenshot('model-sbml-concentrations-ssa');
    });
  });
});
