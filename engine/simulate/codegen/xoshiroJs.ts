/**
 * The xoshiro128** step (engine/sample/random/Xoshiro128.ts) as inline JS, so
 * generated simulators keep the generator state in local registers instead
 * of calling a method per draw. State lives in r0..r3; `x` and `rt` are
 * scratch locals; the 32-bit output lands in `target`.
 */
export function xoshiroStepJs(target: string): string {
  return `x=Math.imul(r1,5);${target}=Math.imul((x<<7)|(x>>>25),9);rt=r1<<9;r2^=r0;r3^=r1;r1^=r2;r0^=r3;r2^=rt;r3=(r3<<11)|(r3>>>21);`;
}

/** Locals the inline generator needs, loaded from a Uint32Array `rng`. */
export const XOSHIRO_LOCALS_JS = 'let r0=rng[0]|0,r1=rng[1]|0,r2=rng[2]|0,r3=rng[3]|0,x=0,rt=0,hi=0,lo=0;';

/** Write the advanced state back. */
export const XOSHIRO_STORE_JS = 'rng[0]=r0;rng[1]=r1;rng[2]=r2;rng[3]=r3;';

/** A uniform in [0,1) with 53 random bits into `target`. */
export function uniformJs(target: string): string {
  return `${xoshiroStepJs('hi')}${xoshiroStepJs('lo')}${target}=((hi>>>5)*67108864+(lo>>>6))*1.1102230246251565e-16;`;
}

/** A uniform in (0,1], safe under Math.log, into `target`. */
export function openUniformJs(target: string): string {
  return `${xoshiroStepJs('hi')}${xoshiroStepJs('lo')}${target}=((hi>>>5)*67108864+(lo>>>6)+1)*1.1102230246251565e-16;`;
}

/**
 * A standard exponential deviate into `target` by the ziggurat method,
 * exactly as exponentialZiggurat (engine/sample/random) draws it. Needs the
 * tables `ZX`, `ZF` in scope and a scratch local `zi`.
 */
export function exponentialJs(target: string): string {
  return (
    `${xoshiroStepJs('hi')}${xoshiroStepJs('lo')}zi=lo&255;` +
    `${target}=((hi>>>0)*2097152+(lo>>>11))*1.1102230246251565e-16*zx[zi];` +
    `if(${target}>=zx[zi+1]){for(;;){` +
    `if(zi===0){${openUniformJs('zu')}${target}=7.69711747013104972-Math.log(zu);break;}` +
    `${uniformJs('zu')}if(zf[zi+1]+(zf[zi]-zf[zi+1])*zu<Math.exp(-${target}))break;` +
    `${xoshiroStepJs('hi')}${xoshiroStepJs('lo')}zi=lo&255;` +
    `${target}=((hi>>>0)*2097152+(lo>>>11))*1.1102230246251565e-16*zx[zi];` +
    `if(${target}<zx[zi+1])break;}}`
  );
}

/** Locals exponentialJs needs besides the generator's. */
export const EXPONENTIAL_LOCALS_JS = 'const zx=ZX,zf=ZF;let zi=0,zu=0;';
