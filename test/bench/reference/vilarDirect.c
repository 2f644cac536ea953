/*
 * The yardstick for `sciope simulate vilar` (test/bench/cli.bench.ts): Gillespie's
 * direct method written by hand in C for the one model, the 16-reaction Vilar
 * oscillator exactly as engine/model/examples/vilar.ts defines it (Vilar et al.
 * 2002, PNAS 99:5988, doi:10.1073/pnas.092133899, GillesPy2's form; mass action,
 * volume 1), t = 0..200 on 201 points, every trajectory started from the same
 * state with its own xoshiro128** stream.
 *
 * Method: Gillespie (1977), J. Phys. Chem. 81:2340, doi:10.1021/j100540a008. After
 * each event the 16 propensities (a few multiplications) and their total are
 * recomputed (no drift), and the reaction is found by a linear search in the
 * order of how often each fires (measured with --count on 200 runs).
 * Random numbers: xoshiro128** (Blackman & Vigna 2021, ACM TOMS 47:36,
 * doi:10.1145/3460772), seeded per trajectory by splitmix64.
 *
 * Every grid value of every trajectory is added to a checksum that is printed,
 * so that no work is optimised away (the CLI's -q run likewise keeps the grid
 * values, for its summary table).
 *
 *   gcc -O3 -march=native -o vilarDirect vilarDirect.c -lm
 *   ./vilarDirect RUNS SEED [--count]
 * prints: runs, total events, mean events per trajectory, checksum (and with
 * --count how often each reaction fired).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Da, Dap, Ma, Dr, Drp, Mr, C, A, R, NS };
enum { NR = 16, NT = 201 };

static const double alphaA = 50, alphaAp = 500, alphaR = 0.01, alphaRp = 50, betaA = 50, betaR = 5, deltaMA = 10,
                    deltaMR = 0.5, deltaA = 1, deltaR = 0.2, gammaA = 1, gammaR = 1, gammaC = 2, thetaA = 50, thetaR = 100;

static uint32_t s[4];

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/* Uniform on (0, 1): 32 random bits plus one half. */
static inline double open01(void) { return ((double)next() + 0.5) * (1.0 / 4294967296.0); }

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void seedStream(uint64_t seed, uint64_t run) {
  uint64_t x = seed * 0x100000001b3ULL + run;
  uint64_t a = splitmix64(&x), b = splitmix64(&x);
  s[0] = (uint32_t)a, s[1] = (uint32_t)(a >> 32), s[2] = (uint32_t)b, s[3] = (uint32_t)(b >> 32);
}

/* Reactions in the model's order: s_Cdeg ... s_Mr2R. */
static inline void propensities(const double *x, double *a) {
  a[0] = gammaC * x[A] * x[R];
  a[1] = deltaA * x[A];
  a[2] = deltaA * x[C];
  a[3] = deltaR * x[R];
  a[4] = gammaA * x[A] * x[Da];
  a[5] = thetaA * x[Dap];
  a[6] = alphaA * x[Da];
  a[7] = alphaAp * x[Dap];
  a[8] = deltaMA * x[Ma];
  a[9] = betaA * x[Ma];
  a[10] = gammaR * x[A] * x[Dr];
  a[11] = thetaR * x[Drp];
  a[12] = alphaR * x[Dr];
  a[13] = alphaRp * x[Drp];
  a[14] = deltaMR * x[Mr];
  a[15] = betaR * x[Mr];
}

static inline void fire(int j, double *x) {
  switch (j) {
    case 0: x[A]--, x[R]--, x[C]++; break;
    case 1: x[A]--; break;
    case 2: x[C]--, x[R]++; break;
    case 3: x[R]--; break;
    case 4: x[A]--, x[Da]--, x[Dap]++; break;
    case 5: x[Dap]--, x[A]++, x[Da]++; break;
    case 6: x[Ma]++; break;
    case 7: x[Ma]++; break;
    case 8: x[Ma]--; break;
    case 9: x[A]++; break;
    case 10: x[A]--, x[Dr]--, x[Drp]++; break;
    case 11: x[Drp]--, x[A]++, x[Dr]++; break;
    case 12: x[Mr]++; break;
    case 13: x[Mr]++; break;
    case 14: x[Mr]--; break;
    case 15: x[R]++; break;
  }
}

/* Search order, most frequent first (--count over 200 runs, seed 1). */
static const int ORDER[NR] = {9, 0, 2, 1, 8, 7, 15, 3, 6, 10, 11, 4, 5, 13, 14, 12};

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: vilarDirect RUNS SEED [--count]\n");
    return 2;
  }
  const long runs = atol(argv[1]);
  const uint64_t seed = strtoull(argv[2], NULL, 10);
  const int count = argc > 3 && strcmp(argv[3], "--count") == 0;
  double grid[NT];
  for (int g = 0; g < NT; g++) grid[g] = 200.0 * g / (NT - 1);
  static double out[NS * NT];
  double fired[NR] = {0};
  double checksum = 0;
  long long events = 0;
  for (long r = 0; r < runs; r++) {
    seedStream(seed, (uint64_t)r);
    double x[NS] = {0};
    x[Da] = 1, x[Dr] = 1;
    double a[NR], ordered[NR];
    double t = 0;
    int g = 0;
    for (;;) {
      propensities(x, a);
      double total = 0;
      for (int k = 0; k < NR; k++) total += ordered[k] = a[ORDER[k]];
      const double tn = total > 0 ? t - log(open01()) / total : INFINITY;
      while (g < NT && grid[g] < tn) {
        for (int i = 0; i < NS; i++) out[i * NT + g] = x[i];
        g++;
      }
      if (g == NT) break;
      double target = open01() * total;
      int k = 0;
      while (k < NR - 1 && (target -= ordered[k]) > 0) k++;
      fire(ORDER[k], x);
      if (count) fired[ORDER[k]]++;
      t = tn;
      events++;
    }
    for (int i = 0; i < NS * NT; i++) checksum += out[i];
  }
  printf("runs %ld events %lld mean_events %.1f checksum %.17g\n", runs, events, (double)events / runs, checksum);
  if (count)
    for (int j = 0; j < NR; j++) printf("reaction %d fired %.0f\n", j, fired[j]);
  return 0;
}
