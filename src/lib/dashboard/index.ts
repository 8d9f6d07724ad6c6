export { getHotList, type HotList, type HotListItem, type HotListOptions } from './get-hot-list';
export { getLeadsOverview, type LeadsOverview } from './get-leads-overview';
export { getOverview, OVERVIEW_LEAD_DAYS, type Overview, readOverview } from './get-overview';
export {
  getPipelineOverview,
  type PipelineOverview,
  type PipelineStage,
} from './get-pipeline-overview';
export { type DayGroup, groupByDay } from './group-by-day';
export { listNotes, type NoteList, type NoteListItem, type NotesOptions } from './list-notes';
export {
  listUpcomingActivities,
  type ScheduleOptions,
  type UpcomingActivity,
} from './list-upcoming-activities';
export { notePreview, PREVIEW_LENGTH } from './note-preview';
export { decodeNotesCursor, encodeNotesCursor, type NotesCursor } from './notes-cursor';
export * from './schemas';
