import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ProjectContents, ProjectSummary } from '../../../engine/api/contract'
import { engine } from '../api/client'

/**
 * The open project and what the sidebar lists. Views read the selections
 * (model, observed data, study, run) from here and call refresh() after
 * they change the project.
 */
export const useProjectStore = defineStore('project', () => {
  const project = ref<ProjectSummary | null>(null)
  const contents = ref<ProjectContents | null>(null)
  const selectedModelId = ref<number | null>(null)
  const selectedObservedId = ref<number | null>(null)
  const selectedStudyId = ref<number | null>(null)
  const selectedRunId = ref<number | null>(null)

  async function refresh(): Promise<void> {
    const info = await engine().call('app.info')
    project.value = info.project
    contents.value = info.project ? await engine().call('projects.contents') : null
  }

  return { project, contents, selectedModelId, selectedObservedId, selectedStudyId, selectedRunId, refresh }
})
