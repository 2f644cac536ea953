import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TrustList, TrustListItem } from '../../../engine/api/contract';
import { callEngine } from '../api/callEngine';

/**
 * The open project's black-box simulators and their approval (README,
 * Security). The renderer can list, ask and revoke; it cannot approve on
 * its own: `trust.request` opens a native dialog in the desktop app, and in
 * web mode makes `sciope serve` print a code on its terminal, which the
 * person types here (`trust.approve`).
 */
export const useTrustStore = defineStore('trust', () => {
  const list = ref<TrustList | null>(null);
  const dialogOpen = ref(false);
  /** The simulator whose code `sciope serve` printed, waiting for the person to type it. */
  const awaitingCode = ref<string | null>(null);

  const pending = computed<TrustListItem[]>(() => list.value?.simulators.filter((s) => !s.approved) ?? []);

  async function refresh(hasProject: boolean): Promise<void> {
    list.value = hasProject ? await callEngine('trust.list') : null;
    if (awaitingCode.value && !pending.value.some((s) => s.fingerprint === awaitingCode.value)) awaitingCode.value = null;
  }

  function review(): void {
    dialogOpen.value = true;
  }

  function closeDialog(): void {
    dialogOpen.value = false;
  }

  /** Ask for approval: returns true when approved now (desktop dialog); false when a code is awaited or it was refused. */
  async function request(fingerprint: string): Promise<boolean> {
    const result = await callEngine('trust.request', { fingerprint });
    if (result.via === 'code') {
      awaitingCode.value = fingerprint;
      return false;
    }
    await refresh(true);
    return result.approved;
  }

  async function approve(fingerprint: string, code: string): Promise<void> {
    list.value = await callEngine('trust.approve', { fingerprint, code });
    awaitingCode.value = null;
  }

  async function revoke(fingerprint: string): Promise<void> {
    list.value = await callEngine('trust.revoke', { fingerprint });
  }

  return { list, pending, dialogOpen, awaitingCode, refresh, review, closeDialog, request, approve, revoke };
});
