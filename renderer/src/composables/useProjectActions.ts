import { isDesktop } from '../api/client'
import { useNavigationStore } from '../stores/navigation'
import { useNoticesStore } from '../stores/notices'
import { useProjectStore } from '../stores/project'

const FILTERS = [{ name: 'Sciope project', extensions: ['sciope'] }]

/** Create, open and close projects, with native dialogs in the desktop app; failures go to the notice area. */
export function useProjectActions() {
  const store = useProjectStore()
  const notices = useNoticesStore()
  const nav = useNavigationStore()

  async function create(path: string): Promise<boolean> {
    try {
      const summary = await store.create(path)
      notices.clear() // earlier errors were about another project
      notices.info(`Created project ${summary.name}.`)
      nav.go('model')
      return true
    } catch (err) {
      notices.error(err, 'Creating the project')
      return false
    }
  }

  async function open(path: string): Promise<boolean> {
    try {
      const summary = await store.open(path)
      notices.clear()
      notices.info(`Opened project ${summary.name}.`)
      return true
    } catch (err) {
      notices.error(err, 'Opening the project')
      return false
    }
  }

  async function close(): Promise<void> {
    try {
      await store.close()
      nav.go('project')
    } catch (err) {
      notices.error(err, 'Closing the project')
    }
  }

  async function createWithDialog(): Promise<boolean> {
    const path = await window.sciope?.openFileDialog?.({ title: 'New project', save: true, filters: FILTERS, defaultPath: 'project.sciope' })
    return path ? create(path) : false
  }

  async function openWithDialog(): Promise<boolean> {
    const path = await window.sciope?.openFileDialog?.({ title: 'Open project', filters: FILTERS })
    return path ? open(path) : false
  }

  return { create, open, close, createWithDialog, openWithDialog, desktop: isDesktop() }
}
